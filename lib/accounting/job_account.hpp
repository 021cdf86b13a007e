#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounting/embodied.hpp"
#include "accounting/grid_carbon.hpp"
#include "accounting/node_summary.hpp"
#include "trace/job_trace.hpp"
#include "trace/trace_file.hpp"

namespace erg {

// Energy and carbon of one slice of a job (the whole job, or a phase).
struct EnergyAccount {
  double it_energy_j = 0;
  double facility_energy_j = 0;  // IT energy x PUE
  double co2e_g = 0;             // facility kWh x emission factor
  std::map<std::string, double> by_domain_j;
  std::map<std::string, double> by_node_j;
};

struct PhaseAccount {
  Phase phase;
  EnergyAccount energy;
};

struct JobAccount {
  double duration_s = 0;
  std::size_t n_nodes = 0;
  EnergyAccount total;
  std::vector<PhaseAccount> phases;
  EnergyAccount outside_phases;  // the job's time not covered by any phase
  std::map<std::string, std::map<std::string, double>> by_node_domain_j;
  std::vector<std::string> estimated_domains;  // domains whose figures come from models
  std::map<std::string, std::string> domain_sources;
  bool is_estimated(const std::string& domain) const;
  double sampler_cpu_s = 0;
  // Carbon beyond the operational figure of each slice (co2e_g, "operational"): the
  // hardware's manufacture, what an intensity series left to the emission factor, the start
  // that would have emitted least, and what the accounting had to say about them.
  EmbodiedAccount embodied;
  double uncovered_facility_j = 0;
  std::optional<BestStart> best_start;
  std::vector<std::string> carbon_notes;
  double total_co2e_g() const { return total.co2e_g + embodied.co2e_g; }
};

constexpr double joules_per_kwh = 3.6e6;

double facility_energy_j(double it_energy_j, const CarbonSettings& carbon);
double co2e_g(double it_energy_j, const CarbonSettings& carbon);

// Phases are time intervals; the energy of an interval is the difference of the cumulative
// counters at its bounds, summed over nodes and domains.
// The job's figures from its nodes' summaries (node_summary.hpp): sums, in node name order.
JobAccount account_job(const JobTrace& trace, const JobSummaries& summaries);
JobAccount account_job(const JobTrace& trace);  // with summaries_of(trace)

// What the trace's /summary keeps of the account.
inline TraceSummary trace_summary(const JobAccount& account) {
  return {account.total.it_energy_j, account.total.facility_energy_j, account.total.co2e_g, account.sampler_cpu_s};
}

}  // namespace erg
