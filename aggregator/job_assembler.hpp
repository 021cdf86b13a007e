#pragma once
#include "aggregator/job_sources.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// The one place where a job is put together, for the MPI agent, `erg run` and `erg collect`
// alike: the nodes' samples on one time base (aligned by the wall-clock start each node
// recorded; time 0 is the earliest), the marks' phases on the same base (a phase still open
// ends at the job's last sample), the job's identity (what the spools recorded, over job's
// defaults), its duration, rank count, carbon settings and notes, nodes in name order.
// Damaged spool parts become notes; nothing valid is dropped.
JobTrace assemble_job(JobSources sources, const JobInfo& job, const CarbonSettings& carbon);

}  // namespace erg
