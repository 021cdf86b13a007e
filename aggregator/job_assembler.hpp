#pragma once
#include "aggregator/job_sources.hpp"
#include "trace/job_trace.hpp"
#include "util/atomic_file.hpp"

namespace erg {

// The one place where a job is put together, for the MPI agent, `erg run` and `erg collect`
// alike: the nodes' samples on one time base (aligned by the wall-clock start each node
// recorded; time 0 is the earliest), the marks' phases on the same base (a phase still open
// ends at the job's last sample), the job's identity (what the spools recorded, over job's
// defaults), its duration, rank count, carbon settings and notes, nodes in name order.
// Damaged spool parts become notes; nothing valid is dropped.
JobTrace assemble_job(JobSources sources, const JobInfo& job, const CarbonSettings& carbon);

// The same in parts, for a job whose nodes are assembled where they were measured (the MPI
// agent's node leaders) and whose record is made by rank 0 alone:
// when the job started (the earliest start a node's spool recorded, else its marks');
double job_start_unix_s(const JobSources& sources);
// where a node's last sample lies on the job's clock;
double node_end_s(const NodeSource& source, double job_start_unix_s);
// one node on the job's clock, with its notes and its share of a shared node: takes the
// samples out of source (its header stays, for the record);
NodeTrace assemble_node(NodeSource& source, double job_start_unix_s);
// the job's record without its nodes: identity (from the first node header in sources),
// phases within [0, end_s] in order, metrics, notes, ranks, times. sources' marks are
// merged already (assemble_job does it); node_ranks: the ranks the nodes counted.
JobTrace assemble_job_record(JobSources sources, const JobInfo& job, const CarbonSettings& carbon, double job_start_unix_s,
                             double end_s, int node_ranks);

// The same job from a spool folder (erg collect, the agent beside node daemons or at exit),
// with one node's samples in memory at a time, whatever the job's width and length: each spool
// is read twice, first for its header and extent (the job's end and phases), then to be
// summarized and written to its node file beside trace_path. Returns the job's record with
// every node's summary and the power series, and no samples: write_job_outputs writes the job
// file of it. Throws UsageError when the folder holds no readable node spool. used_spools:
// the spools whose samples it holds (the only ones a host may remove once the trace exists).
JobTrace assemble_folder(const spool::JobSpoolDirectory& dir, const JobInfo& job, const CarbonSettings& carbon,
                         const std::string& trace_path, const std::optional<FileOwnership>& ownership = std::nullopt,
                         std::vector<std::string>* used_spools = nullptr);

}  // namespace erg
