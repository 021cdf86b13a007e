#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "trace/job_trace.hpp"
#include "trace/node_trace.hpp"

namespace erg::spool {

// The first record of a node's spool (docs/spool-format.md): who sampled what, and the
// wall-clock time of the node's time 0, which erg collect uses to align the nodes.
// node: the sampler's trace before its first sample (name, domains, TDP, warnings).
nlohmann::json spool_header(const NodeTrace& node, const JobInfo& job, double start_unix_s, double interval_s);

}  // namespace erg::spool
