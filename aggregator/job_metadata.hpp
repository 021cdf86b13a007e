#pragma once
#include <chrono>
#include <string>

#include "trace/job_trace.hpp"

namespace erg {

// ISO 8601 UTC, e.g. 2026-11-22T10:00:00.123Z.
std::string utc_iso8601(std::chrono::system_clock::time_point time);
// The time plus_s after start: how a job's end is written, from its monotonic duration, so
// that a wall clock stepped during the job does not bend it.
std::string utc_iso8601(std::chrono::system_clock::time_point start, double plus_s);

// The job's identity from the Slurm environment where there is one, else the process.
JobInfo job_info_from_environment();

// How a process ended (a wait status), as job_state and exit_code: completed (exit 0),
// failed (another exit code), cancelled (SIGINT, SIGTERM, SIGKILL, SIGHUP: 128 + signal).
void set_job_end(JobInfo& job, int wait_status);
// The same from the slurmctld epilog's environment (SLURM_JOB_EXIT_CODE2, "code:signal"),
// where there is one; nothing changes elsewhere.
void set_job_end_from_slurm(JobInfo& job);
// A job state in erg's words from erg's own or Slurm's (JobState=CANCELLED, TIMEOUT, ...);
// throws UsageError for anything else.
std::string job_state_from(const std::string& text);
std::string job_state_from_or_unknown(const std::string& text);  // Slurm's word: never refused

}  // namespace erg
