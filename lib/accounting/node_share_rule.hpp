#pragma once
#include <cmath>
#include <vector>

namespace erg {

// How a node's counters (RAPL package and dram: the whole node's energy) are divided among
// the jobs that share the node, interval by interval (docs/accounting.md, "Shared nodes").
//
// The node's power is taken as linear in its CPU utilisation, idle at a fraction alpha of
// its full-load power: P = P_full * (alpha + (1 - alpha) * rho), rho = busy CPU-s / capacity
// CPU-s. In an interval that measured E joules, the static part (what the node draws
// whatever runs) is then S = E * alpha / (alpha + (1 - alpha) * rho) and the dynamic part
// D = E - S. A job pays S in proportion to the CPU-seconds allocated to it (idle or not: the
// cores are held for it) and D in proportion to its share of the CPU-seconds that every
// job's processes used (where a root daemon can see them; else of the node's busy time, so
// that the node's own services are nobody's). What is left (unallocated cores, CPU time of
// no job) is the node's unallocated part. Every job's daemon computes its share alone, from
// the same node-wide figures; the shares and the unallocated part add up to E in every
// interval.
struct NodeInterval {
  double energy_j = 0;         // what the node's counter measured in the interval
  double capacity_cpu_s = 0;   // node CPUs x interval length
  double busy_cpu_s = 0;       // CPU-seconds every process of the node used (procfs /proc/stat)
  double idle_power_fraction = 0.3;  // alpha, in (0, 1]
  double jobs_cpu_s = NAN;     // CPU-seconds of every job's processes; NaN where unknown
};

struct JobInterval {
  double allocated_cpu_s = 0;  // the job's CPUs x the part of the interval it held them
  double used_cpu_s = 0;       // CPU-seconds its processes used
};

struct NodeSplit {
  double static_j = 0;
  double dynamic_j = 0;
};

NodeSplit split_static_dynamic(const NodeInterval& node);

// The job's share of the interval's energy, between 0 and energy_j.
double job_share_j(const NodeInterval& node, const JobInterval& job);

// What no job pays: the unallocated cores' static part and the dynamic part of the CPU time
// of no job. With job_share_j of each job, it adds up to energy_j.
double unallocated_j(const NodeInterval& node, const std::vector<JobInterval>& jobs);

}  // namespace erg
