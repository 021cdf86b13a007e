#pragma once
#include <string>


namespace erg::tools {

// Stores a job's one-line summary (ledger::summary_line) in Slurm's AdminComment, so that
// `sacct -o AdminComment` shows what erg measured, as Princeton's jobstats does with its
// summary. Only an administrator can set AdminComment, so a user cannot forge it. Stores it in the job's record in slurmdbd: `sacctmgr -i update job where jobid=ID set
// AdminComment=LINE`, as root from the slurmctld epilog. Not `scontrol update`: slurmctld
// refuses to change a job that has finished, which it has when its epilog runs. An array
// task is named ARRAY_TASK (SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID), else every task of the
// array would get this one's line. "" when stored, else why not, for the log (a cluster
// without slurmdbd has no sacct, and sacctmgr says so).
std::string set_admin_comment(const std::string& job_id, const std::string& line);

}  // namespace erg::tools
