#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger_query.hpp"
#include "ledger/ledger_row.hpp"
#include "ledger/sql_connection.hpp"

namespace erg::ledger {

// The site's ledger (DESIGN.md, "The ledger"): one row per job, whichever database keeps it.
// Every statement is the same on SQLite and PostgreSQL (ledger_schema.hpp, ledger_query.hpp),
// and the groups are ordered here, by their keys' bytes, rather than by a database's collation:
// the two back ends give the same report, group by group.
class Ledger {
 public:
  // add: migrates the ledger to `schema_version` (default the latest; tests make older ones).
  // read: refuses a ledger that is not at this erg's schema. Throws UsageError.
  Ledger(std::unique_ptr<SqlConnection> connection, LedgerAccess access, const std::string& name,
         std::optional<int> schema_version = std::nullopt);

  // Adds or replaces the rows, all or none: one transaction.
  void add(const std::vector<LedgerRow>& rows);
  // The groups' sums and the total, of the jobs that the filters keep.
  LedgerTable report(const LedgerQuery& query);
  std::optional<LedgerRow> find(const std::string& job_id, const std::string& cluster);
  int schema_version();

 private:
  void migrate_to(int version);
  void check_schema();
  std::unique_ptr<SqlConnection> db_;
};

// Opens the ledger of a URL: "sqlite:PATH" (the default, sqlite:/var/lib/erg/ledger.sqlite) or
// a PostgreSQL URL (postgresql://...). Throws UsageError for another URL, or a ledger that
// cannot be opened or created.
std::unique_ptr<Ledger> open_ledger(const std::string& url, LedgerAccess access,
                                    std::optional<int> schema_version = std::nullopt);

// The URL as erg prints it (messages, report subtitles): without a password.
std::string ledger_display_name(const std::string& url);

constexpr const char* default_ledger_url = "sqlite:/var/lib/erg/ledger.sqlite";

}  // namespace erg::ledger
