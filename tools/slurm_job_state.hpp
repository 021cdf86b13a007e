#pragma once
#include <optional>
#include <string>

namespace erg::tools {

// The job's final state as slurmctld knows it (`squeue --states all --format %T`), for
// the slurmctld epilog: when it runs, the job is still COMPLETING and its environment says
// 0:0 even for a cancelled job, so erg collect asks once the node daemons have finished,
// waiting at most timeout_s for a final state. nullopt when squeue cannot say.
std::optional<std::string> final_slurm_job_state(const std::string& job_id, double timeout_s);

}  // namespace erg::tools
