#include "ledger/ledger_schema.hpp"

namespace erg::ledger {

const std::vector<std::vector<std::string>>& ledger_migrations() {
  static const std::vector<std::vector<std::string>> migrations = {
      // 1: one row per job, its energy per domain.
      {"CREATE TABLE jobs ("
       " job_id TEXT NOT NULL, cluster TEXT NOT NULL, user_name TEXT NOT NULL, account_name TEXT NOT NULL,"
       " partition_name TEXT NOT NULL, start_utc TEXT NOT NULL, end_utc TEXT NOT NULL,"
       " start_unix_s DOUBLE PRECISION NOT NULL, start_day TEXT NOT NULL, start_month TEXT NOT NULL,"
       " duration_s DOUBLE PRECISION NOT NULL, job_state TEXT NOT NULL, exit_code INTEGER NOT NULL,"
       " nodes INTEGER NOT NULL, node_hours DOUBLE PRECISION NOT NULL, it_energy_j DOUBLE PRECISION,"
       " facility_energy_j DOUBLE PRECISION, operational_co2e_g DOUBLE PRECISION,"
       " embodied_co2e_g DOUBLE PRECISION NOT NULL, estimated_energy_j DOUBLE PRECISION NOT NULL,"
       " estimated_domains TEXT NOT NULL, trace_path TEXT NOT NULL,"
       " PRIMARY KEY (job_id, cluster))",
       "CREATE TABLE job_domains ("
       " job_id TEXT NOT NULL, cluster TEXT NOT NULL, domain TEXT NOT NULL, energy_j DOUBLE PRECISION,"
       " estimated INTEGER NOT NULL, PRIMARY KEY (job_id, cluster, domain))"},
      // 2: the reports filter and group by these.
      {"CREATE INDEX jobs_by_day ON jobs (start_day)", "CREATE INDEX jobs_by_user ON jobs (user_name, start_day)",
       "CREATE INDEX jobs_by_account ON jobs (account_name, start_day)"},
      // 3: what a carbon-aware start would have saved (erg --intensity).
      {"ALTER TABLE jobs ADD COLUMN avoidable_co2e_g DOUBLE PRECISION NOT NULL DEFAULT 0"},
  };
  return migrations;
}

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : ",") + w;
  return text;
}

// NaN (a figure that could not be measured) is stored as NULL, which SUM leaves out.
SqlValue number(double value) { return value == value ? SqlValue(value) : SqlValue(nullptr); }

}  // namespace

const std::vector<std::string>& row_columns() {
  static const std::vector<std::string> columns = {
      "job_id",      "cluster",     "user_name",         "account_name",       "partition_name",  "start_utc",
      "end_utc",     "start_unix_s", "start_day",        "start_month",        "duration_s",      "job_state",
      "exit_code",   "nodes",       "node_hours",        "it_energy_j",        "facility_energy_j", "operational_co2e_g",
      "embodied_co2e_g", "estimated_energy_j", "estimated_domains", "trace_path", "avoidable_co2e_g"};
  return columns;
}

SqlStatement upsert_job_sql(const LedgerRow& r) {
  const auto& columns = row_columns();
  std::string marks, updates;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    marks += i ? ", ?" : "?";
    if (i >= 2) updates += (updates.empty() ? "" : ", ") + columns[i] + " = excluded." + columns[i];
  }
  std::string names;
  for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c;
  return {"INSERT INTO jobs (" + names + ") VALUES (" + marks + ") ON CONFLICT (job_id, cluster) DO UPDATE SET " + updates,
          {r.job_id, r.cluster, r.user, r.account, r.partition, r.start_utc, r.end_utc, number(r.start_unix_s),
           r.start_day, r.start_month, number(r.duration_s), r.job_state, static_cast<long long>(r.exit_code),
           static_cast<long long>(r.nodes), number(r.node_hours), number(r.it_energy_j), number(r.facility_energy_j),
           number(r.operational_co2e_g), number(r.embodied_co2e_g), number(r.estimated_energy_j),
           joined(r.estimated_domains), r.trace_path, number(r.avoidable_co2e_g)}};
}

SqlStatement delete_job_domains_sql(const LedgerRow& row) {
  return {"DELETE FROM job_domains WHERE job_id = ? AND cluster = ?", {row.job_id, row.cluster}};
}

SqlStatement insert_job_domain_sql(const LedgerRow& row, const std::string& domain, double energy_j, bool estimated) {
  return {"INSERT INTO job_domains (job_id, cluster, domain, energy_j, estimated) VALUES (?, ?, ?, ?, ?)",
          {row.job_id, row.cluster, domain, number(energy_j), static_cast<long long>(estimated ? 1 : 0)}};
}

SqlStatement select_job_sql(const std::string& job_id, const std::string& cluster) {
  std::string names;
  for (const auto& c : row_columns()) names += (names.empty() ? "" : ", ") + c;
  return {"SELECT " + names + " FROM jobs WHERE job_id = ? AND cluster = ?", {job_id, cluster}};
}

SqlStatement select_job_domains_sql(const std::string& job_id, const std::string& cluster) {
  return {"SELECT domain, energy_j, estimated FROM job_domains WHERE job_id = ? AND cluster = ? ORDER BY domain",
          {job_id, cluster}};
}

}  // namespace erg::ledger
