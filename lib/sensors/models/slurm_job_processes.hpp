#pragma once
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace erg {

// The processes of a Slurm job, for the models of a node daemon that is not their parent:
// those whose environment holds SLURM_JOB_ID=<job_id> and, where they say, SLURMD_NODENAME=<node>
// (environments are readable by root). The scan of /proc/*/environ is repeated at most once
// per refresh_s; between scans the last set is used.
std::function<std::vector<pid_t>()> slurm_job_roots(std::string job_id, std::string node,
                                                    std::string proc_root = "/proc", double refresh_s = 1.0);

}  // namespace erg
