#include "slurm_job_state.hpp"

#include <chrono>
#include <thread>

#include "slurm_tool.hpp"
#include "util/monotonic_clock.hpp"
#include "util/text.hpp"

namespace erg::tools {

namespace {

// squeue's word for the job's state, or "". Only the state is asked for: in scontrol's record
// the job's user writes fields (the job's name, its comment) that could hold a forged
// "JobState=COMPLETED".
std::string squeue_state(const std::string& job_id) {
  return run_slurm_tool("squeue", {"--noheader", "--jobs", job_id, "--states", "all", "--format", "%T"}).output;
}

}  // namespace

std::optional<std::string> final_slurm_job_state(const std::string& job_id, double timeout_s) {
  const double deadline_s = monotonic_now_s() + timeout_s;
  for (;;) {
    std::string state = trim(squeue_state(job_id));
    if (state.empty()) return std::nullopt;
    if (state != "COMPLETING" && state != "RUNNING" && state != "CONFIGURING" && state != "PENDING") return state;
    if (monotonic_now_s() >= deadline_s) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace erg::tools
