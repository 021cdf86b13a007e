#pragma once
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace erg {

// The processes of a Slurm job, for the models of a node daemon that is not their parent.
// Where Slurm's cgroup plugin puts the job in a cgroup of its own (a path with job_<id>),
// its processes are those of that cgroup: nobody but root can move a process there. Else
// they are the processes owned by the job's user (job_uid, from slurmd's SLURM_JOB_UID)
// whose environment holds SLURM_JOB_ID=<job_id> and, where they say, SLURMD_NODENAME=<node>:
// anyone can set a variable, so another user's process that sets it is not the job's. The
// scan of /proc is repeated at most once per refresh_s; between scans the last set is used.
std::function<std::vector<pid_t>()> slurm_job_roots(std::string job_id, std::string node,
                                                    std::optional<uid_t> job_uid, std::string proc_root = "/proc",
                                                    double refresh_s = 1.0);

// The processes of every Slurm job on this node, whoever owns them, found the same way (any
// job_<id> cgroup, else SLURM_JOB_ID in the environment): on a shared node, the CPU time the
// node's dynamic power is divided by (accounting/node_share_rule.hpp).
constexpr const char* any_slurm_job = "";
inline std::function<std::vector<pid_t>()> slurm_all_job_roots(std::string node, std::string proc_root = "/proc",
                                                               double refresh_s = 1.0) {
  return slurm_job_roots(any_slurm_job, std::move(node), std::nullopt, std::move(proc_root), refresh_s);
}

}  // namespace erg
