#include "accounting/job_account.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "accounting/node_summary.hpp"
#include "util/number_format.hpp"
#include "util/utc_date.hpp"

namespace erg {

namespace {

void add_energy(EnergyAccount& account, const std::string& node, const std::string& domain, double energy_j) {
  account.it_energy_j += energy_j;
  account.by_domain_j[domain] += energy_j;
  account.by_node_j[node] += energy_j;
}

// A constant emission factor: the slice's CO2e from its energy, once. With an intensity
// series, the CO2e was summed interval by interval where the samples were (node_summary.cpp).
void apply_carbon(EnergyAccount& account, const CarbonSettings& carbon, bool varies) {
  account.facility_energy_j = facility_energy_j(account.it_energy_j, carbon);
  if (!varies) account.co2e_g = co2e_g(account.it_energy_j, carbon);
}

// The job's facility energy per step of its power series (power_series.hpp), from its start:
// the profile the best start shifts over the intensity series.
std::vector<double> facility_profile(const PowerSeries& power, const CarbonSettings& carbon) {
  std::vector<double> energy_j(power.points() - 1, 0.0);
  for (const auto& domain : power.energy_j)
    for (std::size_t k = 0; k + 1 < domain.size(); ++k) energy_j[k] += (domain[k + 1] - domain[k]) * carbon.pue;
  return energy_j;
}

}  // namespace

bool JobAccount::is_estimated(const std::string& domain) const {
  return std::find(estimated_domains.begin(), estimated_domains.end(), domain) != estimated_domains.end();
}

double facility_energy_j(double it_energy_j, const CarbonSettings& carbon) { return it_energy_j * carbon.pue; }

double co2e_g(double it_energy_j, const CarbonSettings& carbon) {
  return facility_energy_j(it_energy_j, carbon) / joules_per_kwh * carbon.emission_factor_g_per_kwh;
}

JobAccount account_job(const JobTrace& trace) { return account_job(trace, summaries_of(trace)); }

JobAccount account_job(const JobTrace& trace, const JobSummaries& summaries) {
  JobAccount account;
  const GridCarbon grid(trace.carbon);
  const bool varies = grid.varies() && job_start_for_carbon(trace.job).has_value();
  if (grid.varies() && !varies)
    account.carbon_notes.push_back("the intensity series was not used: the trace does not say when the job started");
  account.duration_s = trace.job.duration_s;
  account.n_nodes = summaries.nodes.size();
  account.phases.resize(trace.phases.size());
  for (size_t i = 0; i < trace.phases.size(); ++i) account.phases[i].phase = trace.phases[i];
  std::set<std::string> estimated;

  for (const auto& node : summaries.nodes) {
    account.sampler_cpu_s += node.sampler_cpu_s;
    account.total.by_node_j[node.node] += 0.0;  // a node that measured nothing still shows
    for (const auto& domain : node.domains) {
      const std::string& name = domain.info.name;
      if (domain.info.is_estimate()) estimated.insert(name);
      auto& source = account.domain_sources[name];
      if (source.empty()) source = domain.info.source;
      else if (source.find(domain.info.source) == std::string::npos) source += "," + domain.info.source;

      add_energy(account.total, node.node, name, domain.energy_j);
      account.total.co2e_g += domain.co2e_g;
      account.uncovered_facility_j += domain.uncovered_facility_j;
      account.by_node_domain_j[node.node][name] += domain.energy_j;
      // A summary made for other phases (a damaged file) adds nothing to them.
      if (domain.phase_energy_j.size() == account.phases.size() && domain.phase_co2e_g.size() == account.phases.size())
        for (size_t i = 0; i < account.phases.size(); ++i) {
          add_energy(account.phases[i].energy, node.node, name, domain.phase_energy_j[i]);
          account.phases[i].energy.co2e_g += domain.phase_co2e_g[i];
        }
      add_energy(account.outside_phases, node.node, name, domain.outside_energy_j);
      account.outside_phases.co2e_g += domain.outside_co2e_g;
    }
  }
  apply_carbon(account.total, trace.carbon, varies);
  apply_carbon(account.outside_phases, trace.carbon, varies);
  for (auto& phase : account.phases) apply_carbon(phase.energy, trace.carbon, varies);
  account.estimated_domains.assign(estimated.begin(), estimated.end());
  account.embodied = account_embodied(trace, summaries.nodes);

  if (varies) {
    if (account.uncovered_facility_j > 0)
      account.carbon_notes.push_back("the intensity series leaves out part of the job: " +
                                     std::to_string(static_cast<int>(std::round(100 * account.uncovered_facility_j /
                                                                                std::max(account.total.facility_energy_j, 1e-300)))) +
                                     " % of its facility energy took the emission factor, " + format_intensity(trace.carbon.emission_factor_g_per_kwh) +
                                     (trace.carbon.region.empty() ? "" : " " + trace.carbon.region));
    if (!summaries.power.empty())
      account.best_start = best_start(grid, facility_profile(summaries.power, trace.carbon), summaries.power.step_s);
  }
  return account;
}

}  // namespace erg
