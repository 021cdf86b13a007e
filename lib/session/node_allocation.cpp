#include "session/node_allocation.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "session/slurm_allocation.hpp"

namespace erg {

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The job's CPUs on this node as Slurm allocated them, where Slurm says.
std::optional<int> slurm_allocated_cpus(const std::string& node) {
  const std::string cpus_per_node = environment("SLURM_JOB_CPUS_PER_NODE");
  std::string nodelist = environment("SLURM_JOB_NODELIST");
  if (nodelist.empty()) nodelist = environment("SLURM_NODELIST");
  if (cpus_per_node.empty() || nodelist.empty()) return std::nullopt;
  return slurm_cpus_on_node(cpus_per_node, nodelist, node);
}

}  // namespace

int online_cpus() { return std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN))); }

NodeShare node_share_for(const Settings& settings, const std::string& node, int cpus_allowed, int node_cpus) {
  NodeShare share;
  share.node_cpus = std::max(node_cpus, 1);
  share.idle_power_fraction = settings.idle_power_fraction;
  if (settings.node_share == "exclusive") return share;
  std::optional<int> slurm = slurm_allocated_cpus(node);
  if (slurm && *slurm > 0) {
    share.job_cpus = std::min(*slurm, share.node_cpus);
    share.allocation_source = "Slurm (SLURM_JOB_CPUS_PER_NODE)";
  } else {
    share.job_cpus = std::clamp(cpus_allowed, 1, share.node_cpus);
    share.allocation_source = "the CPUs the job may run on (affinity)";
  }
  const bool shared = settings.node_share == "shared" || (slurm && share.job_cpus < share.node_cpus);
  if (shared) share.mode = NodeShare::shared;
  return share;
}

}  // namespace erg
