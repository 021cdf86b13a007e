#include "ledger/sqlite_ledger.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>

#include "ledger/ledger_schema.hpp"
#include "util/errors.hpp"

namespace erg::ledger {

namespace {

// A prepared statement, finalized however the scope is left.
class Statement {
 public:
  Statement(sqlite3* db, const SqlStatement& statement) : db_(db) {
    if (sqlite3_prepare_v2(db, statement.sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail();
    for (std::size_t i = 0; i < statement.parameters.size(); ++i) bind(static_cast<int>(i) + 1, statement.parameters[i]);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // true while there is a row to read.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail();
    return false;
  }
  void run() {
    while (step()) {
    }
  }
  std::string text(int column) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : "";
  }
  // NULL (a figure that was not a number) reads as NaN in a row, as 0 in a sum.
  double number(int column, double null_value) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL ? null_value : sqlite3_column_double(stmt_, column);
  }
  long long integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  void bind(int index, const SqlValue& value) {
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt_, index);
          else if constexpr (std::is_same_v<T, long long>) return sqlite3_bind_int64(stmt_, index, v);
          else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt_, index, v);
          else return sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        },
        value);
    if (rc != SQLITE_OK) fail();
  }
  [[noreturn]] void fail() const { throw UsageError(std::string("ledger: ") + sqlite3_errmsg(db_)); }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void execute(sqlite3* db, const std::string& sql) { Statement(db, SqlStatement{sql, {}}).run(); }

// A write transaction that rolls back unless committed: an add that fails leaves the ledger
// as it was.
class WriteTransaction {
 public:
  explicit WriteTransaction(sqlite3* db) : db_(db) { execute(db, "BEGIN IMMEDIATE"); }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction() {
    if (!committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    execute(db_, "COMMIT");
    committed_ = true;
  }

 private:
  sqlite3* db_;
  bool committed_ = false;
};

// A new ledger is created here rather than by SQLite, to give it its mode: readable only by
// its owner's group (docs/ledger.md, "Permissions"). SQLite gives the -wal and -shm files the
// same mode.
void create_ledger_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) throw UsageError("cannot create the ledger " + path + ": " + std::strerror(errno));
  ::close(fd);
}

int read_schema_version(sqlite3* db) {
  Statement version(db, {schema_version_sql, {}});
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

}  // namespace

void SqliteLedger::Close::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

SqliteLedger::SqliteLedger(const std::string& path, LedgerAccess access, std::optional<int> schema_version)
    : path_(path) {
  // lstat and SQLITE_OPEN_NOFOLLOW: root (the slurmctld epilog) writes here, and a link
  // would send its writes elsewhere.
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) throw UsageError("the ledger " + path + " is not a regular file");
  if (!exists && access == LedgerAccess::read)
    throw UsageError("there is no ledger at " + path + " (erg ledger add makes it; --ledger or ERG_LEDGER names another)");
  if (!exists) create_ledger_file(path);
  const int flags = access == LedgerAccess::read ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nullptr);
  db_.reset(db);
  if (rc != SQLITE_OK)
    throw UsageError("cannot open the ledger " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  try {
    if (access == LedgerAccess::add) {
      // WAL: readers (reports) and the writer do not block each other. Kept, with its -wal and
      // -shm files, after the last writer closes, so that a reader without write access to the
      // folder can still open it.
      execute(db, "PRAGMA journal_mode=WAL");
      int persist = 1;
      sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
      migrate_to(schema_version.value_or(latest_schema_version()));
    } else {
      check_schema();
    }
  } catch (const UsageError& e) {
    std::string why = e.what();
    if (why.rfind("ledger: ", 0) == 0) why.erase(0, std::strlen("ledger: "));
    throw UsageError("cannot use the ledger " + path + ": " + why);
  }
}

void SqliteLedger::migrate_to(int version) {
  sqlite3* db = db_.get();
  WriteTransaction transaction(db);
  execute(db, schema_version_table_sql);
  const int current = read_schema_version(db);
  if (current > latest_schema_version())
    throw UsageError("ledger: its schema version " + std::to_string(current) + " is newer than this erg's (" +
                     std::to_string(latest_schema_version()) + "): use a newer erg");
  for (int next = current + 1; next <= version; ++next) {
    for (const auto& sql : ledger_migrations()[static_cast<std::size_t>(next - 1)]) execute(db, sql);
    Statement(db, {record_schema_version_sql, {static_cast<long long>(next)}}).run();
  }
  transaction.commit();
}

void SqliteLedger::check_schema() {
  int version = 0;
  {
    Statement exists(db_.get(), {"SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_version'", {}});
    if (exists.step() && exists.integer(0) > 0) version = read_schema_version(db_.get());
  }
  if (version != latest_schema_version())
    throw UsageError("ledger: its schema version is " + std::to_string(version) + ", this erg's " +
                     std::to_string(latest_schema_version()) +
                     (version < latest_schema_version() ? ": an erg ledger add by its owner migrates it" : ": use a newer erg"));
}

int SqliteLedger::schema_version() { return read_schema_version(db_.get()); }

void SqliteLedger::add(const std::vector<LedgerRow>& rows) {
  sqlite3* db = db_.get();
  WriteTransaction transaction(db);
  for (const auto& row : rows) {
    Statement(db, upsert_job_sql(row)).run();
    Statement(db, delete_job_domains_sql(row)).run();
    for (const auto& [domain, energy_j] : row.by_domain_j) {
      bool estimated = false;
      for (const auto& e : row.estimated_domains) estimated = estimated || e == domain;
      Statement(db, insert_job_domain_sql(row, domain, energy_j, estimated)).run();
    }
  }
  transaction.commit();
}

LedgerTable SqliteLedger::report(const LedgerQuery& query) {
  LedgerTable table;
  for (Grouping g : query.by)
    for (const auto& name : key_names(g)) table.key_names.push_back(name);
  auto sums_at = [](const Statement& s, int first) {
    LedgerSums sums;
    sums.jobs = s.integer(first);
    sums.node_hours = s.number(first + 1, 0);
    sums.it_energy_j = s.number(first + 2, 0);
    sums.facility_energy_j = s.number(first + 3, 0);
    sums.operational_co2e_g = s.number(first + 4, 0);
    sums.embodied_co2e_g = s.number(first + 5, 0);
    sums.estimated_energy_j = s.number(first + 6, 0);
    return sums;
  };
  // Both reads see the same ledger: one read transaction.
  execute(db_.get(), "BEGIN");
  try {
    const int keys = static_cast<int>(key_column_count(query.by));
    if (keys > 0) {
      Statement groups(db_.get(), grouped_sums_sql(query.by, query.filter));
      while (groups.step()) {
        LedgerGroup group;
        for (int i = 0; i < keys; ++i) group.key.push_back(groups.text(i));
        group.sums = sums_at(groups, keys);
        table.groups.push_back(std::move(group));
      }
    }
    Statement total(db_.get(), grouped_sums_sql({}, query.filter));
    if (total.step()) table.total = sums_at(total, 0);
  } catch (...) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  execute(db_.get(), "COMMIT");
  return table;
}

std::optional<LedgerRow> SqliteLedger::find(const std::string& job_id, const std::string& cluster) {
  Statement s(db_.get(), select_job_sql(job_id, cluster));
  if (!s.step()) return std::nullopt;
  LedgerRow r;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.job_id = s.text(0);
  r.cluster = s.text(1);
  r.user = s.text(2);
  r.account = s.text(3);
  r.partition = s.text(4);
  r.start_utc = s.text(5);
  r.end_utc = s.text(6);
  r.start_unix_s = s.number(7, nan);
  r.start_day = s.text(8);
  r.start_month = s.text(9);
  r.duration_s = s.number(10, nan);
  r.job_state = s.text(11);
  r.exit_code = static_cast<int>(s.integer(12));
  r.nodes = static_cast<int>(s.integer(13));
  r.node_hours = s.number(14, nan);
  r.it_energy_j = s.number(15, nan);
  r.facility_energy_j = s.number(16, nan);
  r.operational_co2e_g = s.number(17, nan);
  r.embodied_co2e_g = s.number(18, nan);
  r.estimated_energy_j = s.number(19, nan);
  for (std::string rest = s.text(20); !rest.empty();) {
    std::size_t comma = rest.find(',');
    r.estimated_domains.push_back(rest.substr(0, comma));
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  r.trace_path = s.text(21);
  Statement domains(db_.get(), select_job_domains_sql(job_id, cluster));
  while (domains.step()) r.by_domain_j[domains.text(0)] = domains.number(1, nan);
  return r;
}

}  // namespace erg::ledger
