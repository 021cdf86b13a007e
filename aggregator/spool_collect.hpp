#pragma once
#include <string>
#include <vector>

#include "spool/spool_directory.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// Merges every node's spool in a job's spool folder, and the marks an agent left, into one
// JobTrace on the job's time base (node clocks aligned by the wall-clock start each node
// recorded). A phase still open when the job was killed ends at the job's last sample.
// Damaged spool parts are skipped, counted and noted; nothing valid is dropped.
// carbon: the settings the caller resolved (erg collect from its own, the agent from erg_init).
// Throws UsageError when the job has no spool at all.
JobTrace collect_job(const spool::JobSpoolDirectory& dir, const CarbonSettings& carbon);

// True when every node daemon of the job has finished (a final record, or its lock released).
bool job_spools_finished(const spool::JobSpoolDirectory& dir);

}  // namespace erg
