#pragma once
#include <optional>
#include <string>

#include "report/job_report.hpp"
#include "trace/job_trace.hpp"
#include "util/atomic_file.hpp"

namespace erg {

// Orders the nodes by name and records the job's node count; the one place where a JobTrace
// is made ready to write, for the MPI agent, `erg run` and `erg collect` alike.
void finish_job_trace(JobTrace& trace);

// Writes TRACE.h5, its node files (TRACE.nodes/, one per node of trace.nodes) and the JSON
// summary beside it (TRACE.json); returns the report, which refers to trace. Throws std::runtime_error when a file cannot be written.
// ownership: who the files belong to, set before they are in place (erg collect as root).
JobReport write_job_outputs(const JobTrace& trace, const std::string& trace_path,
                            const std::optional<FileOwnership>& ownership = std::nullopt);

// Why a trace cannot be written at trace_path (its folder is missing or not writable), or ""
// when it can: asked before a job runs, not after its hours of work.
std::string trace_path_problem(const std::string& trace_path);

// job.h5 -> job.json
std::string json_path_for(const std::string& trace_path);

}  // namespace erg
