#pragma once
#include <memory>
#include <string>

#include "ledger/sql_connection.hpp"

struct sqlite3;

namespace erg::ledger {

// A ledger in one SQLite file, in WAL mode so that readers never block the writer, with a
// busy timeout so that many writers at once (the slurmctld epilogs of jobs that end together)
// wait their turn instead of failing, and BEGIN IMMEDIATE so that a writer takes the write
// lock before it reads (two deferred transactions that both read, then both want to write,
// would fail one of them with SQLITE_BUSY whatever the timeout).
class SqliteConnection : public SqlConnection {
 public:
  SqliteConnection(const std::string& path, LedgerAccess access);
  std::unique_ptr<SqlRows> query(const SqlStatement& statement) override;
  void begin_write() override;
  void begin_read() override;
  void rollback() noexcept override;
  bool has_table(const std::string& name) override;

  static constexpr int busy_timeout_ms = 60000;

 private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace erg::ledger
