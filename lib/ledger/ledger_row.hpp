#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "accounting/job_account.hpp"
#include "trace/job_trace.hpp"

namespace erg::ledger {

// One job as the ledger keeps it (DESIGN.md, "The ledger"): its key is (job_id, cluster).
// Joules, grams and seconds, like the rest of erg; the reports turn them into kWh and kg.
struct LedgerRow {
  std::string job_id;
  std::string cluster;
  std::string user;
  std::string account;    // "" when the job had none
  std::string partition;  // ""
  std::string start_utc;  // ISO 8601, as in the trace
  std::string end_utc;
  double start_unix_s = 0;
  std::string start_day;    // "2026-12-03", UTC: the report's --by day and --since/--until
  std::string start_month;  // "2026-12": --by month
  double duration_s = 0;
  std::string job_state = "unknown";
  int exit_code = -1;
  int nodes = 0;
  double node_hours = 0;
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double operational_co2e_g = 0;
  double embodied_co2e_g = 0;  // the hardware's manufacture, per node-hour and GPU-hour
  // What starting at the least-emitting time an intensity series offered would have saved
  // (docs/accounting.md, "Carbon over time"); 0 without a series.
  double avoidable_co2e_g = 0;
  double estimated_energy_j = 0;  // the part of it_energy_j that models estimated
  std::map<std::string, double> by_domain_j;
  std::vector<std::string> estimated_domains;
  std::string trace_path;

  bool operator==(const LedgerRow&) const = default;
};

// The cluster of a job: what its trace says (extra "cluster", SLURM_CLUSTER_NAME), else
// the given one (--cluster), else "local".
std::string cluster_of(const std::map<std::string, std::string>& extra, const std::string& given);

// From a trace and its account (erg ledger add TRACE.h5, erg collect --ledger-add).
LedgerRow ledger_row_from(const JobTrace& trace, const JobAccount& account, const std::string& cluster,
                          const std::string& trace_path);

// From a trace's JSON summary (job.json, docs/trace-format.md): the same figures, for traces
// whose HDF5 file is gone or elsewhere. Throws UsageError when it is not such a summary.
LedgerRow ledger_row_from_summary(const nlohmann::json& summary, const std::string& cluster,
                                  const std::string& trace_path);

// The job's figures in one line ("erg: IT 1.23 kWh, facility 1.60 kWh, 512 g CO2e; trace
// PATH"): Slurm's AdminComment (erg collect --admin-comment).
std::string summary_line(const LedgerRow& row);

}  // namespace erg::ledger
