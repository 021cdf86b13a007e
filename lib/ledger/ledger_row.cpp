#include "ledger/ledger_row.hpp"

#include <algorithm>
#include <cmath>

#include "util/utc_date.hpp"
#include "util/errors.hpp"
#include "util/number_format.hpp"

namespace erg::ledger {

namespace {

std::string extra_value(const std::map<std::string, std::string>& extra, const std::string& key) {
  auto found = extra.find(key);
  return found == extra.end() ? "" : found->second;
}

// The parts every source of a row shares: the dates from the start, node-hours from the
// duration, the estimated energy from the domains that models measured.
void complete(LedgerRow& row) {
  auto start = parse_utc_time(row.start_utc);
  if (!start) throw UsageError("the job's start '" + row.start_utc.substr(0, 40) + "' is not an ISO 8601 UTC time");
  row.start_unix_s = *start;
  row.start_day = utc_day(*start);
  row.start_month = utc_month(*start);
  if (!std::isfinite(row.duration_s) || row.duration_s < 0) row.duration_s = 0;  // a job without samples
  row.node_hours = row.nodes * row.duration_s / 3600.0;
  std::sort(row.estimated_domains.begin(), row.estimated_domains.end());  // as the ledger gives them back
  row.estimated_energy_j = 0;
  for (const auto& domain : row.estimated_domains)
    if (auto found = row.by_domain_j.find(domain); found != row.by_domain_j.end()) row.estimated_energy_j += found->second;
}

}  // namespace

std::string cluster_of(const std::map<std::string, std::string>& extra, const std::string& given) {
  if (std::string cluster = extra_value(extra, "cluster"); !cluster.empty()) return cluster;
  return given.empty() ? "local" : given;
}

LedgerRow ledger_row_from(const JobTrace& trace, const JobAccount& account, const std::string& cluster,
                          const std::string& trace_path) {
  LedgerRow row;
  row.job_id = trace.job.job_id;
  row.cluster = cluster_of(trace.job.extra, cluster);
  row.user = trace.job.user;
  row.account = extra_value(trace.job.extra, "account");
  row.partition = extra_value(trace.job.extra, "partition");
  row.start_utc = trace.job.start_utc;
  row.end_utc = trace.job.end_utc;
  row.duration_s = account.duration_s;
  row.job_state = trace.job.job_state;
  row.exit_code = trace.job.exit_code;
  row.nodes = static_cast<int>(account.n_nodes);
  row.it_energy_j = account.total.it_energy_j;
  row.facility_energy_j = account.total.facility_energy_j;
  row.operational_co2e_g = account.total.co2e_g;
  row.embodied_co2e_g = account.embodied.co2e_g;
  if (account.best_start) row.avoidable_co2e_g = std::max(0.0, account.total.co2e_g - account.best_start->co2e_g);
  row.by_domain_j = account.total.by_domain_j;
  row.estimated_domains = account.estimated_domains;
  row.trace_path = trace_path;
  complete(row);
  return row;
}

LedgerRow ledger_row_from_summary(const nlohmann::json& summary, const std::string& cluster,
                                  const std::string& trace_path) {
  try {
    const auto& job = summary.at("job");
    const auto& energy = summary.at("energy");
    LedgerRow row;
    row.job_id = job.at("job_id").get<std::string>();
    std::map<std::string, std::string> extra;
    if (job.contains("extra")) extra = job.at("extra").get<std::map<std::string, std::string>>();
    row.cluster = cluster_of(extra, cluster);
    row.user = job.at("user").get<std::string>();
    row.account = extra_value(extra, "account");
    row.partition = extra_value(extra, "partition");
    row.start_utc = job.at("start_utc").get<std::string>();
    row.end_utc = job.at("end_utc").get<std::string>();
    row.duration_s = summary.at("duration_s").is_number() ? summary.at("duration_s").get<double>() : 0;
    row.job_state = job.value("job_state", std::string("unknown"));
    row.exit_code = job.value("exit_code", -1);
    row.nodes = job.at("n_nodes").get<int>();
    row.it_energy_j = energy.at("it_j").get<double>();
    row.facility_energy_j = energy.at("facility_j").get<double>();
    row.operational_co2e_g = summary.at("co2e_g").get<double>();
    if (summary.contains("carbon")) {  // summaries before embodied emissions have none
      const auto& carbon = summary.at("carbon");
      row.embodied_co2e_g = carbon.value("embodied_co2e_g", 0.0);
      row.avoidable_co2e_g = carbon.value("best_start_saving_co2e_g", 0.0);
    }
    row.by_domain_j = energy.at("by_domain").get<std::map<std::string, double>>();
    row.estimated_domains = summary.at("estimated").get<std::vector<std::string>>();
    row.trace_path = trace_path;
    if (row.job_id.empty()) throw UsageError("its job id is empty");
    complete(row);
    return row;
  } catch (const nlohmann::json::exception&) {
    throw UsageError("not an erg trace summary (job.json): a key is missing or of the wrong type");
  }
}

std::string summary_line(const LedgerRow& row) {
  std::string line = "erg: IT " + format_energy_wh(row.it_energy_j) + ", facility " +
                     format_energy_wh(row.facility_energy_j) + ", " + format_co2e(row.operational_co2e_g) + " CO2e";
  if (row.estimated_energy_j > 0) line += " (" + format_energy_wh(row.estimated_energy_j) + " of IT estimated)";
  return line + "; trace " + row.trace_path;
}

}  // namespace erg::ledger
