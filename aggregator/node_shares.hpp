#pragma once
#include "trace/node_trace.hpp"

namespace erg {

// A node's part of the job's trace, charged as docs/accounting.md says: on a node shared
// with other jobs, each counter of the whole node (RAPL) becomes the job's share of it,
// interval by interval (accounting/node_share_rule.hpp), and what the node measured is kept
// beside it (node_domains) with the rule's inputs (job_cpu_s, node_busy_cpu_s), for an
// auditor. The CPU-time series are taken out of the energy domains on every node.
void charge_node_share(NodeTrace& node);

}  // namespace erg
