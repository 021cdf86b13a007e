#include "slurm_admin_comment.hpp"

#include <cstdlib>

#include "slurm_tool.hpp"

namespace erg::tools {

std::string set_admin_comment(const std::string& job_id, const std::string& line) {
  std::string id = job_id;
  const char* array_job = std::getenv("SLURM_ARRAY_JOB_ID");
  const char* array_task = std::getenv("SLURM_ARRAY_TASK_ID");
  if (array_job && array_task && *array_job && *array_task) id = std::string(array_job) + "_" + array_task;
  SlurmToolResult result =
      run_slurm_tool("sacctmgr", {"-i", "update", "job", "where", "jobid=" + id, "set", "AdminComment=" + line});
  if (result.status == 0) return "";
  if (result.status == 127 || result.status < 0) return "sacctmgr could not run";
  return "sacctmgr update job exited with status " + std::to_string(result.status) +
         " (AdminComment needs AccountingStorageType=accounting_storage/slurmdbd)";
}

}  // namespace erg::tools
