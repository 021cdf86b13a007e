#pragma once
#include <memory>
#include <string>

#include "ledger/ledger_query.hpp"

namespace erg::ledger {

// add: the ledger is created when missing and migrated to this erg's schema.
// read: it must exist and be at this erg's schema; nothing is written.
enum class LedgerAccess { add, read };

// The rows of one statement, read in order. A NULL (a figure that was not a number) reads as
// null_value.
class SqlRows {
 public:
  virtual ~SqlRows() = default;
  // Moves to the next row: false when there is none.
  virtual bool next() = 0;
  virtual std::string text(int column) const = 0;
  virtual double number(int column, double null_value) const = 0;
  virtual long long integer(int column) const = 0;
};

// What the ledger asks of a database: statements with bound values, and transactions. The
// Ledger (ledger.hpp) does everything else once, with the same SQL, whichever back end is
// under it; so SQLite and PostgreSQL give the same reports. Failures throw UsageError.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual std::unique_ptr<SqlRows> query(const SqlStatement& statement) = 0;
  void execute(const SqlStatement& statement) {
    for (auto rows = query(statement); rows->next();) {
    }
  }
  // A transaction in which this connection is the ledger's only writer (several slurmctld
  // epilogs end at once: each waits its turn rather than failing).
  virtual void begin_write() = 0;
  // A transaction whose reads all see the same ledger.
  virtual void begin_read() = 0;
  void commit() { execute({"COMMIT", {}}); }
  // Never throws: it runs while an exception is on its way out.
  virtual void rollback() noexcept = 0;
  // Whether the ledger has this table (in the schema its statements use).
  virtual bool has_table(const std::string& name) = 0;
};

}  // namespace erg::ledger
