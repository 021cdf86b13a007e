#pragma once
#include <optional>
#include <string>
#include <vector>

#include "aggregator/job_marks.hpp"
#include "spool/spool_directory.hpp"
#include "spool/spool_reader.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// One node's part of a job: what its spool holds, and whether its sampler was still writing
// it when it was read (then the data end at its last flush, and nothing was lost).
struct NodeSource {
  spool::SpoolContents spool;
  bool still_written = false;
  int n_ranks = 0;  // the job's ranks on this node, where the host knows them (MPI)
};

// Everything a job's trace is made from, wherever it came from: a job's spool folder (erg
// collect, the agent beside node daemons), the MPI gather of the node leaders' spools, or
// `erg run`'s one node.
struct JobSources {
  std::vector<NodeSource> nodes;
  std::vector<JobMarks> marks;     // phases, metrics and notes of the job's agents
  std::vector<std::string> notes;  // what was refused on the way (a marks file, ...)
};

// Reads every node spool and every marks file of a job's spool folder. Damaged parts are
// skipped and counted; a spool still locked by its sampler is read as far as it was flushed.
// Throws UsageError when the folder holds no readable node spool.
JobSources read_job_sources(const spool::JobSpoolDirectory& dir);
// The marks files of the folder alone (read_job_sources reads them too), into sources.
void read_job_marks(const spool::JobSpoolDirectory& dir, JobSources& sources);

// True when no sampler holds any of the job's spools (a final record, or its lock released).
bool job_spools_finished(const spool::JobSpoolDirectory& dir);

// Waits, at most timeout_s, until every spool still held by its sampler has been flushed
// one sampling interval after until_unix_s (so that it holds a sample at or after it): a
// trace assembled while node daemons run (the MPI agent in a Slurm job) reaches the job's end.
void wait_for_spools(const spool::JobSpoolDirectory& dir, double until_unix_s, double timeout_s);

}  // namespace erg
