#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger_query.hpp"
#include "ledger/ledger_row.hpp"

namespace erg::ledger {

// A ledger, wherever it is kept. SQLite now; a PostgreSQL back end (planned, docs/ledger.md)
// implements the same four calls with the same SQL (ledger_schema.hpp, ledger_query.hpp),
// so the commands and reports do not know which one they use.
class LedgerBackend {
 public:
  virtual ~LedgerBackend() = default;
  // Adds or replaces the rows, all or none: one transaction. Throws UsageError.
  virtual void add(const std::vector<LedgerRow>& rows) = 0;
  // The groups' sums and the total, of the jobs that the filters keep.
  virtual LedgerTable report(const LedgerQuery& query) = 0;
  // One job's row, or nullopt.
  virtual std::optional<LedgerRow> find(const std::string& job_id, const std::string& cluster) = 0;
  // The schema version the ledger is at (ledger_schema.hpp).
  virtual int schema_version() = 0;
};

// add: the ledger is created when missing and migrated to this erg's schema.
// read: it must exist and be at this erg's schema; nothing is written.
enum class LedgerAccess { add, read };

// Opens the ledger of a URL: "sqlite:PATH" (the default sqlite:/var/lib/erg/ledger.sqlite).
// Throws UsageError for another URL, or a ledger that cannot be opened or created.
std::unique_ptr<LedgerBackend> open_ledger(const std::string& url, LedgerAccess access);

constexpr const char* default_ledger_url = "sqlite:/var/lib/erg/ledger.sqlite";

}  // namespace erg::ledger
