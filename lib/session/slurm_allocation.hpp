#pragma once
#include <optional>
#include <string>
#include <vector>

namespace erg {

// A Slurm host list ("n[1-3,7],gpu01") expanded into names, in order. Throws
// std::invalid_argument when the text is not one, or names more than max_names hosts.
std::vector<std::string> expand_slurm_hostlist(const std::string& hostlist, std::size_t max_names = 100000);

// The CPUs a job holds on one of its nodes, from SLURM_JOB_CPUS_PER_NODE ("2(x3),1": counts
// per node, in the order of the node list) and SLURM_JOB_NODELIST. nullopt when the node is
// not in the list or the texts are not what Slurm writes.
std::optional<int> slurm_cpus_on_node(const std::string& cpus_per_node, const std::string& nodelist,
                                      const std::string& node);

}  // namespace erg
