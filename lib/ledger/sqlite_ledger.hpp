#pragma once
#include <memory>
#include <string>

#include "ledger/ledger_backend.hpp"

struct sqlite3;

namespace erg::ledger {

// The SQLite back end: one file, in WAL mode so that readers never block the writer, with a
// busy timeout so that many writers at once (the slurmctld epilogs of jobs that end together)
// wait their turn instead of failing, and BEGIN IMMEDIATE so that a writer takes the write
// lock before it reads (two deferred transactions that both read, then both want to write,
// would fail one of them with SQLITE_BUSY whatever the timeout).
class SqliteLedger : public LedgerBackend {
 public:
  // add: migrates to `schema_version` (default: the latest; tests make older ledgers with it).
  SqliteLedger(const std::string& path, LedgerAccess access, std::optional<int> schema_version = std::nullopt);
  void add(const std::vector<LedgerRow>& rows) override;
  LedgerTable report(const LedgerQuery& query) override;
  std::optional<LedgerRow> find(const std::string& job_id, const std::string& cluster) override;
  int schema_version() override;

  static constexpr int busy_timeout_ms = 60000;

 private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  void migrate_to(int version);
  void check_schema();
  std::string path_;
  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace erg::ledger
