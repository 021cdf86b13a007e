#pragma once
#include <string>

#include "config/settings.hpp"
#include "trace/node_trace.hpp"

namespace erg {

// How a session's node is shared with other jobs, decided once at its start
// (docs/accounting.md, "Shared nodes"), from settings.node_share:
//   auto       shared where Slurm allocated the job fewer CPUs on this node than it has
//              (SLURM_JOB_CPUS_PER_NODE and SLURM_JOB_NODELIST, which slurmd sets for the
//              prolog and the job alike); elsewhere the job is taken to hold the whole node
//   exclusive  never split: the job is charged the node's counters whole
//   shared     always split: the job's CPUs from Slurm, else the cpus_allowed it may run on
// node_cpus: the node's online CPUs.
NodeShare node_share_for(const Settings& settings, const std::string& node, int cpus_allowed, int node_cpus);

// This machine's online CPUs.
int online_cpus();

}  // namespace erg
