#include "accounting/node_share_rule.hpp"

#include <algorithm>
#include <cmath>

namespace erg {

namespace {

double clamped_fraction(double value) { return std::isfinite(value) ? std::clamp(value, 0.0, 1.0) : 0.0; }

// What the dynamic part is divided by: the jobs' CPU time where known, else the node's.
double dynamic_basis_cpu_s(const NodeInterval& node) {
  // A jobs' figure of 0 is kept: the jobs' processes used nothing that was seen (or were not
  // found yet, at the start), and the dynamic part then follows the allocation, not the
  // node's own services.
  return std::isfinite(node.jobs_cpu_s) && node.jobs_cpu_s >= 0 ? node.jobs_cpu_s : node.busy_cpu_s;
}

// Without CPU time to divide by (an idle node, or a reading that saw none), the dynamic part
// follows the allocation like the static part: it is the node's, not one job's.
bool has_busy_time(const NodeInterval& node) {
  const double basis = dynamic_basis_cpu_s(node);
  return basis > 0 && std::isfinite(basis);
}

}  // namespace

NodeSplit split_static_dynamic(const NodeInterval& node) {
  const double energy_j = std::isfinite(node.energy_j) ? std::max(node.energy_j, 0.0) : 0.0;
  const double alpha = std::clamp(std::isfinite(node.idle_power_fraction) ? node.idle_power_fraction : 1.0, 1e-6, 1.0);
  const double rho = node.capacity_cpu_s > 0 ? clamped_fraction(node.busy_cpu_s / node.capacity_cpu_s) : 0.0;
  const double static_j = energy_j * alpha / (alpha + (1 - alpha) * rho);
  return {static_j, energy_j - static_j};
}

double job_share_j(const NodeInterval& node, const JobInterval& job) {
  const NodeSplit split = split_static_dynamic(node);
  const double allocated =
      node.capacity_cpu_s > 0 ? clamped_fraction(job.allocated_cpu_s / node.capacity_cpu_s) : 0.0;
  // A job's processes cannot have used more than all of them did: the figures are read a
  // moment apart, and procfs counts in 10 ms ticks.
  const double used = has_busy_time(node) ? clamped_fraction(job.used_cpu_s / dynamic_basis_cpu_s(node)) : allocated;
  return split.static_j * allocated + split.dynamic_j * used;
}

double unallocated_j(const NodeInterval& node, const std::vector<JobInterval>& jobs) {
  const NodeSplit split = split_static_dynamic(node);
  double allocated_cpu_s = 0, used_cpu_s = 0;
  for (const auto& job : jobs) allocated_cpu_s += job.allocated_cpu_s, used_cpu_s += job.used_cpu_s;
  const double free_cores =
      node.capacity_cpu_s > 0 ? clamped_fraction(1 - allocated_cpu_s / node.capacity_cpu_s) : 1.0;
  const double other_use =
      has_busy_time(node) ? clamped_fraction(1 - used_cpu_s / dynamic_basis_cpu_s(node)) : free_cores;
  return split.static_j * free_cores + split.dynamic_j * other_use;
}

}  // namespace erg
