#include "ledger/ledger_query.hpp"

#include "util/errors.hpp"

namespace erg::ledger {

namespace {

struct GroupingColumns {
  Grouping grouping;
  const char* word;
  std::vector<std::string> names;    // in the report
  std::vector<std::string> columns;  // in the jobs table
};

const std::vector<GroupingColumns>& groupings() {
  static const std::vector<GroupingColumns> all = {
      {Grouping::user, "user", {"user"}, {"user_name"}},
      {Grouping::account, "account", {"account"}, {"account_name"}},
      {Grouping::partition, "partition", {"partition"}, {"partition_name"}},
      {Grouping::day, "day", {"day"}, {"start_day"}},
      {Grouping::month, "month", {"month"}, {"start_month"}},
      // A job id is unique only within its cluster.
      {Grouping::job, "job", {"job", "cluster"}, {"job_id", "cluster"}}};
  return all;
}

const GroupingColumns& columns_of(Grouping grouping) {
  for (const auto& g : groupings())
    if (g.grouping == grouping) return g;
  throw std::logic_error("unknown grouping");
}

}  // namespace

Grouping grouping_from(const std::string& word) {
  for (const auto& g : groupings())
    if (word == g.word) return g.grouping;
  throw UsageError("--by must be user, account, partition, day, month or job, not '" + word.substr(0, 40) + "'");
}

std::vector<std::string> key_names(Grouping grouping) { return columns_of(grouping).names; }

std::size_t key_column_count(const std::vector<Grouping>& by) {
  std::size_t n = 0;
  for (Grouping g : by) n += columns_of(g).columns.size();
  return n;
}

SqlStatement grouped_sums_sql(const std::vector<Grouping>& by, const LedgerFilter& filter) {
  std::string keys;
  for (Grouping g : by)
    for (const auto& column : columns_of(g).columns) keys += (keys.empty() ? "" : ", ") + column;
  SqlStatement statement;
  statement.sql = "SELECT " + (keys.empty() ? "" : keys + ", ") +
                  "COUNT(*), SUM(node_hours), SUM(it_energy_j), SUM(facility_energy_j), SUM(operational_co2e_g), "
                  "SUM(embodied_co2e_g), SUM(estimated_energy_j), SUM(avoidable_co2e_g) FROM jobs";
  std::string where;
  auto condition = [&](const char* text, const std::optional<std::string>& value) {
    if (!value) return;
    where += (where.empty() ? " WHERE " : " AND ") + std::string(text);
    statement.parameters.emplace_back(*value);
  };
  // Days as ISO text compare as dates do.
  condition("start_day >= ?", filter.since_day);
  condition("start_day <= ?", filter.until_day);
  condition("user_name = ?", filter.user);
  condition("account_name = ?", filter.account);
  statement.sql += where;
  // No ORDER BY: PostgreSQL would order by its collation, SQLite by bytes; Ledger::report orders.
  if (!keys.empty()) statement.sql += " GROUP BY " + keys;
  return statement;
}

}  // namespace erg::ledger
