#pragma once
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace erg::ledger {

// What erg ledger report asks: the groups (--by, in order) and the filters. The SQL is made
// here, once, for every back end: plain SQL (SELECT, WHERE, GROUP BY, SUM, COUNT) that SQLite
// and PostgreSQL both run, with every value bound as a parameter, never pasted into the text.

enum class Grouping { user, account, partition, day, month, job };

// "user" -> Grouping::user; throws UsageError for a word that is not a grouping.
Grouping grouping_from(const std::string& word);
// The key names of a grouping in the report ("job" gives two: job and cluster).
std::vector<std::string> key_names(Grouping grouping);

struct LedgerFilter {
  std::optional<std::string> since_day;  // "2026-12-01": jobs that started on or after that day (UTC)
  std::optional<std::string> until_day;  // jobs that started on or before that day
  std::optional<std::string> user;
  std::optional<std::string> account;
};

struct LedgerQuery {
  std::vector<Grouping> by;  // empty: one group, the total
  LedgerFilter filter;
};

// A value bound to a '?' of a statement.
using SqlValue = std::variant<std::nullptr_t, long long, double, std::string>;

// A statement with '?' placeholders and their values, in order. SQLite binds '?' as it is; a
// PostgreSQL back end numbers them ($1, $2, ...) before it prepares the statement.
struct SqlStatement {
  std::string sql;
  std::vector<SqlValue> parameters;
};

// The sums of a set of jobs.
struct LedgerSums {
  long long jobs = 0;
  double node_hours = 0;
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double operational_co2e_g = 0;
  double embodied_co2e_g = 0;
  double estimated_energy_j = 0;
  double avoidable_co2e_g = 0;  // what carbon-aware starts would have saved
  double co2e_g() const { return operational_co2e_g + embodied_co2e_g; }
};

struct LedgerGroup {
  std::vector<std::string> key;  // one value per key name
  LedgerSums sums;
};

// The answer: groups ordered by their key, and the total of every job the filters kept.
struct LedgerTable {
  std::vector<std::string> key_names;
  std::vector<LedgerGroup> groups;
  LedgerSums total;
};

// The statement that gives one result row per group: its key columns (as text), then
// jobs, node_hours, it_energy_j, facility_energy_j, operational_co2e_g, embodied_co2e_g,
// estimated_energy_j, avoidable_co2e_g. Without groups, one row: the total.
SqlStatement grouped_sums_sql(const std::vector<Grouping>& by, const LedgerFilter& filter);
// How many key columns that statement's rows begin with.
std::size_t key_column_count(const std::vector<Grouping>& by);

}  // namespace erg::ledger
