#pragma once
#include <chrono>
#include <string>

#include "trace/job_trace.hpp"

namespace erg {

// ISO 8601 UTC, e.g. 2026-11-22T10:00:00.123Z.
std::string utc_iso8601(std::chrono::system_clock::time_point time);

// The job's identity from the Slurm environment where there is one, else the process.
JobInfo job_info_from_environment();

}  // namespace erg
