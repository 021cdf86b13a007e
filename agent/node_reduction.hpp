#pragma once
#include <mpi.h>

#include <functional>
#include <optional>
#include <string>

#include "aggregator/job_sources.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// What the node leaders do together at erg_finalize (docs/trace-format.md, "Who writes
// what"). Each leader puts its own node on the job's clock, summarizes it over the job's
// phases and writes its samples to its node file; rank 0 receives the summaries, never the
// samples, and the job's power series comes to it by one reduction. Memory at rank 0 grows
// with the node count only (about a kilobyte per node), never with the job's length.
struct NodeReduction {
  double job_start_unix_s = 0;
  CarbonSettings carbon;
  std::string trace_path;  // where the job file goes; "" when no node file can be written
  // Rank 0 only: the job's record (phases, identity, times) once the job's end and the nodes'
  // rank count are known; own is rank 0's node (its spool's header).
  std::function<JobTrace(const NodeSource& own, double end_s, int node_ranks)> make_record;
};

struct ReducedNode {
  std::optional<JobTrace> job;  // rank 0 of leaders: the record with every node's summary and the power series
  bool node_file_written = false;  // this leader's samples are in its node file
};

// Collective over leaders (every node leader takes part whatever happened to its node, so
// nobody waits forever). Throws on rank 0 only when its record cannot be made, after every
// collective step.
ReducedNode reduce_nodes(NodeSource own, const NodeReduction& how, MPI_Comm leaders);

// A summary as it travels to rank 0 (Boost.Serialization; "" when it cannot be made), and
// back; bytes that do not decode give a summary named after the leader, with a note.
std::string summary_bytes(const NodeSummary& summary);
NodeSummary summary_from(const std::string& bytes, std::size_t leader);

}  // namespace erg
