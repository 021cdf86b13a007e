#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sensors/sensor.hpp"

namespace erg {

// One domain's cumulative joules, one value per sample (NaN where a read failed).
struct DomainSeries {
  DomainInfo info;
  std::vector<double> energy_j;
};

// How a node that the job shared with other jobs was charged (docs/accounting.md): the
// job's CPUs there, the node's, and the split rule's parameter. Exclusive nodes are charged
// whole, as measured.
struct NodeShare {
  static constexpr const char* exclusive = "exclusive";
  static constexpr const char* shared = "shared";
  std::string mode = exclusive;
  double job_cpus = 0;                // the CPUs allocated to the job on the node
  int node_cpus = 0;                  // the node's online CPUs
  double idle_power_fraction = 0;     // the rule's alpha
  std::string allocation_source;      // where job_cpus came from
  std::string rule;                   // the split, in words, for a reader of the trace
  bool is_shared() const { return mode == shared; }
  static constexpr const char* cpu_time_rule =
      "static part by allocated CPUs, dynamic part by CPU time (docs/accounting.md, shared nodes)";
};

// What one node measured: the samples of its sampler, on the job's time base.
struct NodeTrace {
  std::string node;
  int n_ranks = 1;
  std::vector<double> time_s;  // seconds since the job's start
  std::vector<DomainSeries> domains;
  double sampler_cpu_s = 0;    // the sampler's own CPU time: the measurement overhead
  double cpu_tdp_w = 0;        // the node's CPU TDP, to estimate the sampler's own energy
  int logical_cpus = 0;
  std::uint64_t spool_skipped_bytes = 0;  // damaged spool bytes skipped by erg collect
  std::vector<std::string> notes;
  NodeShare share;
  // On a shared node: what the node's counters measured (domains holds the job's share of
  // them), and the split's inputs: cumulative CPU seconds of the job, of the whole node, and
  // (where a root daemon sees them) of every job's processes.
  std::vector<DomainSeries> node_domains;
  std::vector<double> job_cpu_s;
  std::vector<double> node_busy_cpu_s;
  std::vector<double> jobs_cpu_s;

  const DomainSeries* domain(const std::string& name) const {
    for (const auto& d : domains)
      if (d.info.name == name) return &d;
    return nullptr;
  }
};

}  // namespace erg
