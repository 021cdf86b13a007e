#include "ledger/sqlite_connection.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <type_traits>

#include "util/errors.hpp"
#include "util/trusted_folder.hpp"

namespace erg::ledger {

namespace {

[[noreturn]] void fail(sqlite3* db) { throw UsageError(std::string("ledger: ") + sqlite3_errmsg(db)); }

// A prepared statement, finalized however the scope is left (a failed bind included).
class SqliteRows : public SqlRows {
 public:
  // The statement is owned before anything may throw: a failed bind finalizes it too.
  SqliteRows(sqlite3* db, const SqlStatement& statement) : db_(db) {
    sqlite3_stmt* prepared = nullptr;
    const int rc = sqlite3_prepare_v2(db, statement.sql.c_str(), -1, &prepared, nullptr);
    stmt_.reset(prepared);
    if (rc != SQLITE_OK) fail(db_);
    for (std::size_t i = 0; i < statement.parameters.size(); ++i) bind(static_cast<int>(i) + 1, statement.parameters[i]);
  }

  bool next() override {
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(db_);
    return false;
  }
  std::string text(int column) const override {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column))) : "";
  }
  double number(int column, double null_value) const override {
    return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL ? null_value : sqlite3_column_double(stmt_.get(), column);
  }
  long long integer(int column) const override { return sqlite3_column_int64(stmt_.get(), column); }

 private:
  void bind(int index, const SqlValue& value) {
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt_.get(), index);
          else if constexpr (std::is_same_v<T, long long>) return sqlite3_bind_int64(stmt_.get(), index, v);
          else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt_.get(), index, v);
          else return sqlite3_bind_text(stmt_.get(), index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        },
        value);
    if (rc != SQLITE_OK) fail(db_);
  }

  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

// A new ledger is created here rather than by SQLite, to give it its mode: readable only by
// its owner's group (docs/ledger.md, "Permissions"). SQLite gives the -wal and -shm files the
// same mode.
void create_ledger_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) throw UsageError("cannot create the ledger " + path + ": " + std::strerror(errno));
  ::close(fd);
}

// SQLite opens the ledger without following a link, but not its -wal and -shm files: whoever
// else may write the folder could put links there and have root's writes go elsewhere.
void check_folder(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  struct stat st {};
  if (::stat(folder.c_str(), &st) != 0)
    throw UsageError("cannot create the ledger " + path + ": " + folder + ": " + std::strerror(errno));
  if (std::string problem = folder_trust_problem(st); !problem.empty())
    throw UsageError("the ledger's folder " + folder + " " + problem + "; refused (docs/ledger.md)");
}

}  // namespace

void SqliteConnection::Close::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

SqliteConnection::SqliteConnection(const std::string& path, LedgerAccess access) {
  // lstat and SQLITE_OPEN_NOFOLLOW: root (the slurmctld epilog) writes here, and a link
  // would send its writes elsewhere.
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) throw UsageError("the ledger " + path + " is not a regular file");
  if (!exists && access == LedgerAccess::read)
    throw UsageError("there is no ledger at " + path + " (erg ledger add makes it; --ledger or ERG_LEDGER names another)");
  if (access == LedgerAccess::add) check_folder(path);
  if (!exists) create_ledger_file(path);
  const int flags = access == LedgerAccess::read ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nullptr);
  db_.reset(db);
  if (rc != SQLITE_OK)
    throw UsageError("cannot open the ledger " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  if (access == LedgerAccess::add) {
    // WAL: readers (reports) and the writer do not block each other. Kept, with its -wal and
    // -shm files, after the last writer closes, so that a reader without write access to the
    // folder can still open it.
    try {
      execute({"PRAGMA journal_mode=WAL", {}});
    } catch (const UsageError& e) {
      throw UsageError("cannot use the ledger " + path + ": " + (e.what() + std::strlen("ledger: ")));
    }
    int persist = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  }
}

std::unique_ptr<SqlRows> SqliteConnection::query(const SqlStatement& statement) {
  return std::make_unique<SqliteRows>(db_.get(), statement);
}

void SqliteConnection::begin_write() { execute({"BEGIN IMMEDIATE", {}}); }

void SqliteConnection::begin_read() { execute({"BEGIN", {}}); }

void SqliteConnection::rollback() noexcept { sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr); }

bool SqliteConnection::has_table(const std::string& name) {
  auto rows = query({"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", {name}});
  return rows->next() && rows->integer(0) > 0;
}

}  // namespace erg::ledger
