#include "ledger/ledger_backend.hpp"

#include "ledger/sqlite_ledger.hpp"
#include "util/errors.hpp"

namespace erg::ledger {

std::unique_ptr<LedgerBackend> open_ledger(const std::string& url, LedgerAccess access) {
  const std::string sqlite = "sqlite:";
  if (url.rfind(sqlite, 0) == 0) {
    std::string path = url.substr(sqlite.size());
    // sqlite:///var/lib/... as some tools write it: the same path.
    if (path.rfind("///", 0) == 0) path.erase(0, 2);
    if (path.empty()) throw UsageError("--ledger sqlite: needs a path, e.g. sqlite:/var/lib/erg/ledger.sqlite");
    return std::make_unique<SqliteLedger>(path, access);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    throw UsageError("PostgreSQL ledgers are planned but not in this erg yet (docs/ledger.md): use sqlite:PATH");
  throw UsageError("--ledger must be sqlite:PATH (or, later, a postgresql:// URL), not '" + url.substr(0, 80) + "'");
}

}  // namespace erg::ledger
