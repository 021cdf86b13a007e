#include "accounting/job_account.hpp"

#include <algorithm>
#include <set>

#include "accounting/cumulative_series.hpp"

namespace erg {

namespace {

struct Interval {
  double start_s, end_s;
};

void add_energy(EnergyAccount& account, const std::string& node, const std::string& domain, double energy_j) {
  account.it_energy_j += energy_j;
  account.by_domain_j[domain] += energy_j;
  account.by_node_j[node] += energy_j;
}

void apply_carbon(EnergyAccount& account, const CarbonSettings& carbon) {
  account.facility_energy_j = facility_energy_j(account.it_energy_j, carbon);
  account.co2e_g = co2e_g(account.it_energy_j, carbon);
}

// The parts of [start, end] not covered by any phase.
std::vector<Interval> gaps_between_phases(const std::vector<Phase>& phases, double start_s, double end_s) {
  std::vector<Interval> covered;
  for (const auto& p : phases) covered.push_back({p.start_s, p.end_s});
  std::sort(covered.begin(), covered.end(), [](auto& a, auto& b) { return a.start_s < b.start_s; });
  std::vector<Interval> gaps;
  double cursor = start_s;
  for (const auto& c : covered) {
    if (c.start_s > cursor) gaps.push_back({cursor, std::min(c.start_s, end_s)});
    cursor = std::max(cursor, c.end_s);
    if (cursor >= end_s) break;
  }
  if (cursor < end_s) gaps.push_back({cursor, end_s});
  return gaps;
}

}  // namespace

bool JobAccount::is_estimated(const std::string& domain) const {
  return std::find(estimated_domains.begin(), estimated_domains.end(), domain) != estimated_domains.end();
}

double facility_energy_j(double it_energy_j, const CarbonSettings& carbon) { return it_energy_j * carbon.pue; }

double co2e_g(double it_energy_j, const CarbonSettings& carbon) {
  return facility_energy_j(it_energy_j, carbon) / joules_per_kwh * carbon.emission_factor_g_per_kwh;
}

JobAccount account_job(const JobTrace& trace) {
  JobAccount account;
  account.duration_s = trace.job.duration_s;
  account.phases.resize(trace.phases.size());
  for (size_t i = 0; i < trace.phases.size(); ++i) account.phases[i].phase = trace.phases[i];
  std::set<std::string> estimated;

  for (const auto& node : trace.nodes) {
    account.sampler_cpu_s += node.sampler_cpu_s;
    account.total.by_node_j[node.node] += 0.0;  // a node that measured nothing still shows
    for (const auto& domain : node.domains) {
      const std::string& name = domain.info.name;
      if (domain.info.is_estimate()) estimated.insert(name);
      auto& source = account.domain_sources[name];
      if (source.empty()) source = domain.info.source;
      else if (source.find(domain.info.source) == std::string::npos) source += "," + domain.info.source;

      CumulativeSeries series(node.time_s, domain.energy_j);
      double total_j = series.total();
      add_energy(account.total, node.node, name, total_j);
      account.by_node_domain_j[node.node][name] += total_j;
      for (auto& phase : account.phases)
        add_energy(phase.energy, node.node, name, series.between(phase.phase.start_s, phase.phase.end_s));
      for (const auto& gap : gaps_between_phases(trace.phases, series.first_time_s(), series.last_time_s()))
        add_energy(account.outside_phases, node.node, name, series.between(gap.start_s, gap.end_s));
    }
  }
  apply_carbon(account.total, trace.carbon);
  apply_carbon(account.outside_phases, trace.carbon);
  for (auto& phase : account.phases) apply_carbon(phase.energy, trace.carbon);
  account.estimated_domains.assign(estimated.begin(), estimated.end());
  return account;
}

}  // namespace erg
