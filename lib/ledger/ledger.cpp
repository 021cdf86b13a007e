#include "ledger/ledger.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "ledger/ledger_schema.hpp"
#include "ledger/postgres_connection.hpp"
#include "ledger/sqlite_connection.hpp"
#include "util/errors.hpp"

namespace erg::ledger {

namespace {

// A transaction that rolls back unless committed: an add that fails leaves the ledger as it was.
class Transaction {
 public:
  Transaction(SqlConnection& db, LedgerAccess access) : db_(db) {
    if (access == LedgerAccess::add) db.begin_write();
    else db.begin_read();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!committed_) db_.rollback();
  }
  void commit() {
    db_.commit();
    committed_ = true;
  }

 private:
  SqlConnection& db_;
  bool committed_ = false;
};

int read_schema_version(SqlConnection& db) {
  auto rows = db.query({schema_version_sql, {}});
  return rows->next() ? static_cast<int>(rows->number(0, 0)) : 0;
}

LedgerSums sums_at(const SqlRows& rows, int first) {
  LedgerSums sums;
  sums.jobs = rows.integer(first);
  sums.node_hours = rows.number(first + 1, 0);
  sums.it_energy_j = rows.number(first + 2, 0);
  sums.facility_energy_j = rows.number(first + 3, 0);
  sums.operational_co2e_g = rows.number(first + 4, 0);
  sums.embodied_co2e_g = rows.number(first + 5, 0);
  sums.estimated_energy_j = rows.number(first + 6, 0);
  sums.avoidable_co2e_g = rows.number(first + 7, 0);
  return sums;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> words;
  for (std::string rest = text; !rest.empty();) {
    std::size_t comma = rest.find(',');
    words.push_back(rest.substr(0, comma));
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  return words;
}

}  // namespace

Ledger::Ledger(std::unique_ptr<SqlConnection> connection, LedgerAccess access, const std::string& name,
               std::optional<int> schema_version)
    : db_(std::move(connection)) {
  try {
    if (access == LedgerAccess::add) migrate_to(schema_version.value_or(latest_schema_version()));
    else check_schema();
  } catch (const UsageError& e) {
    std::string why = e.what();
    if (why.rfind("ledger: ", 0) == 0) why.erase(0, std::strlen("ledger: "));
    throw UsageError("cannot use the ledger " + name + ": " + why);
  }
}

void Ledger::migrate_to(int version) {
  Transaction transaction(*db_, LedgerAccess::add);
  db_->execute({schema_version_table_sql, {}});
  const int current = read_schema_version(*db_);
  if (current > latest_schema_version())
    throw UsageError("ledger: its schema version " + std::to_string(current) + " is newer than this erg's (" +
                     std::to_string(latest_schema_version()) + "): use a newer erg");
  for (int next = current + 1; next <= version; ++next) {
    for (const auto& sql : ledger_migrations()[static_cast<std::size_t>(next - 1)]) db_->execute({sql, {}});
    db_->execute({record_schema_version_sql, {static_cast<long long>(next)}});
  }
  transaction.commit();
}

void Ledger::check_schema() {
  const int version = db_->has_table("schema_version") ? read_schema_version(*db_) : 0;
  if (version != latest_schema_version())
    throw UsageError("ledger: its schema version is " + std::to_string(version) + ", this erg's " +
                     std::to_string(latest_schema_version()) +
                     (version < latest_schema_version() ? ": an erg ledger add by its owner migrates it" : ": use a newer erg"));
}

int Ledger::schema_version() { return read_schema_version(*db_); }

void Ledger::add(const std::vector<LedgerRow>& rows) {
  Transaction transaction(*db_, LedgerAccess::add);
  for (const auto& row : rows) {
    db_->execute(upsert_job_sql(row));
    db_->execute(delete_job_domains_sql(row));
    for (const auto& [domain, energy_j] : row.by_domain_j) {
      const bool estimated =
          std::find(row.estimated_domains.begin(), row.estimated_domains.end(), domain) != row.estimated_domains.end();
      db_->execute(insert_job_domain_sql(row, domain, energy_j, estimated));
    }
  }
  transaction.commit();
}

LedgerTable Ledger::report(const LedgerQuery& query) {
  LedgerTable table;
  for (Grouping g : query.by)
    for (const auto& name : key_names(g)) table.key_names.push_back(name);
  Transaction transaction(*db_, LedgerAccess::read);
  const int keys = static_cast<int>(key_column_count(query.by));
  if (keys > 0) {
    for (auto groups = db_->query(grouped_sums_sql(query.by, query.filter)); groups->next();) {
      LedgerGroup group;
      for (int i = 0; i < keys; ++i) group.key.push_back(groups->text(i));
      group.sums = sums_at(*groups, keys);
      table.groups.push_back(std::move(group));
    }
  }
  auto total = db_->query(grouped_sums_sql({}, query.filter));
  if (total->next()) table.total = sums_at(*total, 0);
  transaction.commit();
  std::sort(table.groups.begin(), table.groups.end(),
            [](const LedgerGroup& a, const LedgerGroup& b) { return a.key < b.key; });
  return table;
}

std::optional<LedgerRow> Ledger::find(const std::string& job_id, const std::string& cluster) {
  auto s = db_->query(select_job_sql(job_id, cluster));
  if (!s->next()) return std::nullopt;
  LedgerRow r;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.job_id = s->text(0);
  r.cluster = s->text(1);
  r.user = s->text(2);
  r.account = s->text(3);
  r.partition = s->text(4);
  r.start_utc = s->text(5);
  r.end_utc = s->text(6);
  r.start_unix_s = s->number(7, nan);
  r.start_day = s->text(8);
  r.start_month = s->text(9);
  r.duration_s = s->number(10, nan);
  r.job_state = s->text(11);
  r.exit_code = static_cast<int>(s->integer(12));
  r.nodes = static_cast<int>(s->integer(13));
  r.node_hours = s->number(14, nan);
  r.it_energy_j = s->number(15, nan);
  r.facility_energy_j = s->number(16, nan);
  r.operational_co2e_g = s->number(17, nan);
  r.embodied_co2e_g = s->number(18, nan);
  r.estimated_energy_j = s->number(19, nan);
  r.estimated_domains = split_commas(s->text(20));
  r.trace_path = s->text(21);
  r.avoidable_co2e_g = s->number(22, nan);
  for (auto domains = db_->query(select_job_domains_sql(job_id, cluster)); domains->next();)
    r.by_domain_j[domains->text(0)] = domains->number(1, nan);
  return r;
}

std::string ledger_display_name(const std::string& url) {
  std::string shown = url;
  // scheme://user:password@host...: the password goes, the user stays.
  const std::size_t scheme_end = shown.find("://");
  if (scheme_end != std::string::npos) {
    const std::size_t authority = scheme_end + 3;
    const std::size_t at = shown.find('@', authority);
    const std::size_t colon = shown.find(':', authority);
    const std::size_t end = shown.find_first_of("/?", authority);
    if (at != std::string::npos && at < end && colon < at) shown.erase(colon, at - colon);
  }
  // ...?password=SECRET&...: the same.
  for (std::size_t at = shown.find("password="); at != std::string::npos; at = shown.find("password=", at + 1)) {
    const std::size_t value = at + std::strlen("password=");
    shown.replace(value, shown.find('&', value) - value, "...");
  }
  return shown;
}

std::unique_ptr<Ledger> open_ledger(const std::string& url, LedgerAccess access, std::optional<int> schema_version) {
  const std::string sqlite = "sqlite:";
  if (url.rfind(sqlite, 0) == 0) {
    std::string path = url.substr(sqlite.size());
    // sqlite:///var/lib/... as some tools write it: the same path.
    if (path.rfind("///", 0) == 0) path.erase(0, 2);
    if (path.empty()) throw UsageError("--ledger sqlite: needs a path, e.g. sqlite:/var/lib/erg/ledger.sqlite");
    // The default's folder is erg's to make (the slurmctld epilog's first add); any other
    // ledger's folder is the site's.
    if (access == LedgerAccess::add && url == default_ledger_url) ::mkdir("/var/lib/erg", 0755);
    return std::make_unique<Ledger>(std::make_unique<SqliteConnection>(path, access), access, path, schema_version);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    const std::string name = ledger_display_name(url);
    try {
      return std::make_unique<Ledger>(std::make_unique<PostgresConnection>(url, access), access, name, schema_version);
    } catch (const UsageError& e) {
      std::string why = e.what();
      const std::string prefix = "cannot open the ledger: ";
      if (why.rfind(prefix, 0) == 0) throw UsageError("cannot open the ledger " + name + ": " + why.substr(prefix.size()));
      throw;
    }
  }
  throw UsageError("--ledger must be sqlite:PATH or a postgresql:// URL, not '" + ledger_display_name(url).substr(0, 80) + "'");
}

}  // namespace erg::ledger
