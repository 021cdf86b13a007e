#pragma once
#include <map>
#include <string>
#include <vector>

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
  EnergyAccount total;
  std::vector<PhaseAccount> phases;
  EnergyAccount outside_phases;  // the job's time not covered by any phase
  std::map<std::string, std::map<std::string, double>> by_node_domain_j;
  std::vector<std::string> estimated_domains;  // domains whose figures come from models
  std::map<std::string, std::string> domain_sources;
  bool is_estimated(const std::string& domain) const;
  double sampler_cpu_s = 0;
};

constexpr double joules_per_kwh = 3.6e6;

double facility_energy_j(double it_energy_j, const CarbonSettings& carbon);
double co2e_g(double it_energy_j, const CarbonSettings& carbon);

// Phases are time intervals; the energy of an interval is the difference of the cumulative
// counters at its bounds, summed over nodes and domains.
JobAccount account_job(const JobTrace& trace);

// What the trace's /summary keeps of the account.
inline TraceSummary trace_summary(const JobAccount& account) {
  return {account.total.it_energy_j, account.total.facility_energy_j, account.total.co2e_g, account.sampler_cpu_s};
}

}  // namespace erg
