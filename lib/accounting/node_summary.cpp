#include "accounting/node_summary.hpp"

#include <algorithm>
#include <unordered_map>

#include "accounting/cumulative_series.hpp"
#include "accounting/grid_carbon.hpp"
#include "accounting/power_series.hpp"
#include "util/utc_date.hpp"

namespace erg {

namespace {

struct Interval {
  double start_s, end_s;
};

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

// The CO2e of one domain over [from_s, to_s] of the job's clock when the intensity varies:
// each sampling interval's facility energy at the intensity of its own time, intervals cut
// at the series' steps (power is constant within a sampling interval).
struct SliceCarbon {
  const GridCarbon& grid;
  const CarbonSettings& carbon;
  double job_start_unix_s;

  double co2e_g(const CumulativeSeries& series, const std::vector<double>& times_s, double from_s, double to_s,
                double& uncovered_facility_j) const {
    double sum_g = 0;
    double previous = from_s;
    auto add_interval = [&](double end_s) {
      const double facility_j = series.between(previous, end_s) * carbon.pue;
      sum_g += grid.co2e_g(facility_j, job_start_unix_s + previous, job_start_unix_s + end_s, uncovered_facility_j);
      previous = end_s;
    };
    // Sample times inside the slice cut it into the intervals the sampler measured.
    for (auto t = std::upper_bound(times_s.begin(), times_s.end(), from_s); t != times_s.end() && *t < to_s; ++t)
      add_interval(*t);
    add_interval(to_s);
    return sum_g;
  }
};

}  // namespace

std::optional<double> job_start_for_carbon(const JobInfo& job) { return parse_iso8601(job.start_utc); }

NodeSummary summarize_node(const NodeTrace& node, const std::vector<Phase>& phases, const CarbonSettings& carbon,
                           std::optional<double> job_start_unix_s) {
  NodeSummary s;
  s.node = node.node;
  s.n_ranks = node.n_ranks;
  s.sampler_cpu_s = node.sampler_cpu_s;
  s.cpu_tdp_w = node.cpu_tdp_w;
  s.logical_cpus = node.logical_cpus;
  s.spool_skipped_bytes = node.spool_skipped_bytes;
  s.share = node.share;
  s.notes = node.notes;
  s.n_samples = node.time_s.size();
  if (!node.time_s.empty()) s.first_s = node.time_s.front(), s.last_s = node.time_s.back();

  const GridCarbon grid(carbon);
  std::optional<SliceCarbon> slice_carbon;
  if (grid.varies() && job_start_unix_s) slice_carbon.emplace(SliceCarbon{grid, carbon, *job_start_unix_s});
  for (const auto& domain : node.domains) {
    DomainSummary d;
    d.info = domain.info;
    CumulativeSeries series(node.time_s, domain.energy_j);
    d.has_samples = !series.empty();
    d.first_s = series.first_time_s();
    d.last_s = series.last_time_s();
    d.energy_j = series.between(d.first_s, d.last_s);
    // What the series leaves out is counted once, over the whole job; phases cover it again.
    double phases_uncovered_j = 0;
    if (slice_carbon) d.co2e_g = slice_carbon->co2e_g(series, node.time_s, d.first_s, d.last_s, d.uncovered_facility_j);
    for (const auto& phase : phases) {
      d.phase_energy_j.push_back(series.between(phase.start_s, phase.end_s));
      d.phase_co2e_g.push_back(
          slice_carbon ? slice_carbon->co2e_g(series, node.time_s, phase.start_s, phase.end_s, phases_uncovered_j) : 0.0);
    }
    for (const auto& gap : gaps_between_phases(phases, d.first_s, d.last_s)) {
      d.outside_energy_j += series.between(gap.start_s, gap.end_s);
      if (slice_carbon) d.outside_co2e_g += slice_carbon->co2e_g(series, node.time_s, gap.start_s, gap.end_s, phases_uncovered_j);
    }
    for (const auto& measured : node.node_domains)
      if (measured.info.name == domain.info.name) {
        d.split = true;
        d.node_energy_j = CumulativeSeries(node.time_s, measured.energy_j).total();
      }
    s.domains.push_back(std::move(d));
  }
  return s;
}

JobSummaries summaries_of(const JobTrace& trace) {
  if (!trace.summaries.empty() || trace.nodes.empty()) return {trace.summaries, trace.power};
  JobSummaries made;
  const auto start = job_start_for_carbon(trace.job);
  for (const auto& node : trace.nodes) made.nodes.push_back(summarize_node(node, trace.phases, trace.carbon, start));
  sort_by_node(made.nodes);
  made.power = power_series_of(trace.nodes, trace.job.duration_s);
  return made;
}

bool carbon_changes_summaries(const CarbonSettings& recorded, const CarbonSettings& applied) {
  if (applied.intensity.empty()) return false;  // CO2e then follows from the energies alone
  const auto& a = recorded.intensity;
  const auto& b = applied.intensity;
  return recorded.pue != applied.pue || recorded.emission_factor_g_per_kwh != applied.emission_factor_g_per_kwh ||
         a.start_unix_s != b.start_unix_s || a.end_unix_s != b.end_unix_s || a.g_per_kwh != b.g_per_kwh;
}

void summarize_again(JobTrace& trace) {
  if (trace.summaries.empty()) return;  // summaries_of makes them from the samples
  const auto start = job_start_for_carbon(trace.job);
  std::unordered_map<std::string, const NodeTrace*> samples_of;
  for (const auto& node : trace.nodes) samples_of[node.node] = &node;
  for (auto& summary : trace.summaries) {
    auto node = samples_of.find(summary.node);
    if (node == samples_of.end()) {
      if (summary.n_samples > 0)
        summary.notes.push_back("its CO2e is at the trace's own carbon settings: its samples are not at hand");
      continue;
    }
    NodeSummary again = summarize_node(*node->second, trace.phases, trace.carbon, start);
    again.node_file = summary.node_file;
    summary = std::move(again);
  }
}

}  // namespace erg
