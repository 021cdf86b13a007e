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

}  // namespace erg
