#include "accounting/job_account.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "accounting/cumulative_series.hpp"
#include "util/number_format.hpp"
#include "util/utc_date.hpp"

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

// A constant emission factor: the slice's CO2e from its energy, once. With an intensity
// series, the CO2e was summed interval by interval as the energy was (add_series_energy).
void apply_carbon(EnergyAccount& account, const CarbonSettings& carbon, bool varies) {
  account.facility_energy_j = facility_energy_j(account.it_energy_j, carbon);
  if (!varies) account.co2e_g = co2e_g(account.it_energy_j, carbon);
}

// The energy of one node's domain over [from_s, to_s] of the job's clock; with an intensity
// series, its CO2e too: each sampling interval's facility energy at the intensity of its own
// time, intervals cut at the series' steps (power is constant within a sampling interval).
struct SliceCarbon {
  const GridCarbon& grid;
  const CarbonSettings& carbon;
  double job_start_unix_s;
};

void add_series_energy(EnergyAccount& account, const std::string& node, const std::string& domain,
                       const CumulativeSeries& series, const std::vector<double>& times_s, double from_s, double to_s,
                       const SliceCarbon* carbon, double& uncovered_facility_j) {
  add_energy(account, node, domain, series.between(from_s, to_s));
  if (!carbon) return;
  // Sample times inside the slice cut it into the intervals the sampler measured.
  auto first = std::upper_bound(times_s.begin(), times_s.end(), from_s);
  double previous = from_s;
  auto add_interval = [&](double end_s) {
    const double facility_j = series.between(previous, end_s) * carbon->carbon.pue;
    account.co2e_g += carbon->grid.co2e_g(facility_j, carbon->job_start_unix_s + previous,
                                          carbon->job_start_unix_s + end_s, uncovered_facility_j);
    previous = end_s;
  };
  for (auto t = first; t != times_s.end() && *t < to_s; ++t) add_interval(*t);
  add_interval(to_s);
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

// The job's facility energy in bins of equal length from the first sample to the last (at most
// max_bins, at least a second each): the profile the best start shifts over the series. Its
// cost is nodes x domains x bins lookups, so the bins are few: 500 place a start to a few
// minutes in a day-long job, finer than the hourly series it is shifted over.
std::vector<double> facility_profile(const JobTrace& trace, double from_s, double to_s, double& bin_s) {
  constexpr std::size_t max_bins = 500;
  const double span_s = to_s - from_s;
  const std::size_t bins = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(span_s)), 1, max_bins);
  bin_s = span_s / static_cast<double>(bins);
  std::vector<double> energy_j(bins, 0.0);
  for (const auto& node : trace.nodes)
    for (const auto& domain : node.domains) {
      CumulativeSeries series(node.time_s, domain.energy_j);
      for (std::size_t k = 0; k < bins; ++k)
        energy_j[k] += series.between(from_s + static_cast<double>(k) * bin_s, from_s + static_cast<double>(k + 1) * bin_s) *
                       trace.carbon.pue;
    }
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

JobAccount account_job(const JobTrace& trace) {
  JobAccount account;
  const GridCarbon grid(trace.carbon);
  std::optional<double> job_start_unix_s;
  if (auto start = parse_iso8601(trace.job.start_utc)) job_start_unix_s = *start;
  std::optional<SliceCarbon> slice_carbon;
  if (grid.varies() && job_start_unix_s)
    slice_carbon.emplace(SliceCarbon{grid, trace.carbon, *job_start_unix_s});
  else if (grid.varies())
    account.carbon_notes.push_back("the intensity series was not used: the trace does not say when the job started");
  const SliceCarbon* carbon = slice_carbon ? &*slice_carbon : nullptr;
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
      // What the series leaves out is counted once, over the whole job; phases cover it again.
      double phases_uncovered_j = 0;
      add_series_energy(account.total, node.node, name, series, node.time_s, series.first_time_s(), series.last_time_s(),
                        carbon, account.uncovered_facility_j);
      account.by_node_domain_j[node.node][name] += series.total();
      for (auto& phase : account.phases)
        add_series_energy(phase.energy, node.node, name, series, node.time_s, phase.phase.start_s, phase.phase.end_s, carbon,
                          phases_uncovered_j);
      for (const auto& gap : gaps_between_phases(trace.phases, series.first_time_s(), series.last_time_s()))
        add_series_energy(account.outside_phases, node.node, name, series, node.time_s, gap.start_s, gap.end_s, carbon,
                          phases_uncovered_j);
    }
  }
  const bool varies = carbon != nullptr;
  apply_carbon(account.total, trace.carbon, varies);
  apply_carbon(account.outside_phases, trace.carbon, varies);
  for (auto& phase : account.phases) apply_carbon(phase.energy, trace.carbon, varies);
  account.estimated_domains.assign(estimated.begin(), estimated.end());
  account.embodied = account_embodied(trace);

  if (varies) {
    // The job's own span, as its samples cover it.
    double first_s = std::numeric_limits<double>::infinity(), last_s = -first_s;
    for (const auto& node : trace.nodes)
      if (!node.time_s.empty()) {
        first_s = std::min(first_s, node.time_s.front());
        last_s = std::max(last_s, node.time_s.back());
      }
    if (account.uncovered_facility_j > 0)
      account.carbon_notes.push_back("the intensity series leaves out part of the job: " +
                                     std::to_string(static_cast<int>(std::round(100 * account.uncovered_facility_j /
                                                                                std::max(account.total.facility_energy_j, 1e-300)))) +
                                     " % of its facility energy took the emission factor, " + format_intensity(trace.carbon.emission_factor_g_per_kwh) +
                                     (trace.carbon.region.empty() ? "" : " " + trace.carbon.region));
    if (last_s > first_s) {
      double bin_s = 0;
      auto profile = facility_profile(trace, first_s, last_s, bin_s);
      if (auto best = best_start(grid, profile, bin_s)) {
        // The profile starts at the first sample: the job itself started first_s earlier.
        best->start_unix_s -= first_s;
        account.best_start = best;
      }
    }
  }
  return account;
}

}  // namespace erg
