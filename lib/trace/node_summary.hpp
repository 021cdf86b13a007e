#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "trace/node_trace.hpp"

namespace erg {

// What one domain of one node adds to the job's accounting. It is computed where the node's
// samples are (the node's MPI leader, or whoever assembles the job), so that the job's
// figures never need the samples again: a report of 16,384 nodes reads these, not 10^8
// samples (docs/trace-format.md, "The accounting tables").
struct DomainSummary {
  DomainInfo info;
  bool has_samples = false;        // at least one valid reading
  double first_s = 0, last_s = 0;  // its first and last valid sample, on the job's clock
  double energy_j = 0;             // the counter's difference between them
  // With an intensity series: the CO2e of energy_j, summed interval by interval, and the
  // facility energy the series left to the emission factor. 0 without a series.
  double co2e_g = 0;
  double uncovered_facility_j = 0;
  std::vector<double> phase_energy_j;  // one per phase of the job, in the trace's order
  std::vector<double> phase_co2e_g;
  double outside_energy_j = 0;  // the job's time outside every phase
  double outside_co2e_g = 0;
  // A shared node's counter of the whole node (docs/accounting.md): split, and what it
  // measured, of which energy_j is the job's share (0 where the domain was not split).
  double node_energy_j = 0;
  bool split = false;
};

// What one node adds to the job: its identity and overheads, how it was charged, its notes,
// and its domains' summaries; never its samples.
struct NodeSummary {
  std::string node;
  int n_ranks = 1;
  double sampler_cpu_s = 0;
  double cpu_tdp_w = 0;
  int logical_cpus = 0;
  std::uint64_t spool_skipped_bytes = 0;
  NodeShare share;
  std::vector<std::string> notes;
  std::uint64_t n_samples = 0;
  double first_s = 0, last_s = 0;  // its first and last sample (n_samples > 0)
  std::vector<DomainSummary> domains;
  // The file beside the job's that holds its samples, relative to the job file's folder
  // ("job.nodes/n1.h5"); "" where they are in the job file itself or were not written.
  std::string node_file;
};

// Summaries in node name order: the order of the trace's tables and of the job's sums.
inline void sort_by_node(std::vector<NodeSummary>& nodes) {
  std::sort(nodes.begin(), nodes.end(), [](const NodeSummary& a, const NodeSummary& b) { return a.node < b.node; });
}

// The job's energy over time, summed over its nodes per domain, on a regular grid from the
// job's start: cumulative joules at k x step_s. What the power chart and the best start use;
// a few thousand values whatever the job's size and length: power_series_steps steps from the
// job's start to its end (a file that holds more is damaged: the best start's cost grows with
// them).
constexpr std::size_t power_series_steps = 1000;
struct PowerSeries {
  double step_s = 0;
  std::vector<std::string> domains;
  std::vector<std::vector<double>> energy_j;  // [domain][point]
  std::size_t points() const { return energy_j.empty() ? 0 : energy_j.front().size(); }
  bool empty() const { return points() < 2; }
};

}  // namespace erg
