#pragma once
#include <string>

#include "trace/job_trace.hpp"

namespace erg {

// The hardware's embodied emissions per hour of use (data/embodied/embodied.csv): a node
// without its GPUs, and one GPU.
struct EmbodiedFactors {
  double g_per_node_hour = 0;
  double g_per_gpu_hour = 0;
  std::string source;
};

// erg's defaults, from data/. Throws UsageError when the file is missing or damaged.
EmbodiedFactors default_embodied_factors(const std::string& data_dir);

// A job's share of its hardware's manufacture: node-hours (on a shared node, the job's part of
// it: its CPUs over the node's) and GPU-hours (its GPUs, each held by this job alone), times
// the trace's per-hour figures.
struct EmbodiedAccount {
  double node_hours = 0;
  double gpu_hours = 0;
  double co2e_g = 0;
};
EmbodiedAccount account_embodied(const JobTrace& trace, const std::vector<NodeSummary>& nodes);

// A domain that is one GPU ("gpu0", "gpu1", ...).
bool is_gpu_domain(const std::string& name);

}  // namespace erg
