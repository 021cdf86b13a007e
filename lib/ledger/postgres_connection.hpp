#pragma once
#include <memory>
#include <string>

#include "ledger/sql_connection.hpp"

struct pg_conn;

namespace erg::ledger {

// A ledger in a PostgreSQL database, for sites whose ledger outgrows one file or that already
// run PostgreSQL for Grafana. The URL is libpq's (postgresql://[user@]host/db?..., or
// postgresql:///db?host=/run/postgresql for a Unix socket); a password belongs in ~/.pgpass or
// PGPASSFILE, not in the URL, which erg prints. Writers take a transaction-scoped advisory lock,
// so concurrent adds (and the first add's migration) run one after another as they do in SQLite.
class PostgresConnection : public SqlConnection {
 public:
  PostgresConnection(const std::string& url, LedgerAccess access);
  std::unique_ptr<SqlRows> query(const SqlStatement& statement) override;
  void begin_write() override;
  void begin_read() override;
  void rollback() noexcept override;
  bool has_table(const std::string& name) override;

  static constexpr int connect_timeout_s = 10;
  // The advisory lock's key: "erg" in ASCII, so that a DBA who sees it in pg_locks can tell.
  static constexpr long long writer_lock_key = 0x657267;

 private:
  struct Close {
    void operator()(pg_conn* connection) const;
  };
  std::unique_ptr<pg_conn, Close> connection_;
};

// A statement's '?' placeholders as PostgreSQL numbers them ($1, $2, ...); a '?' inside a
// quoted literal stays.
std::string numbered_placeholders(const std::string& sql);

}  // namespace erg::ledger
