#pragma once
#include <mpi.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "trace/job_trace.hpp"

namespace erg {

// What one rank adds to the job's marks at finalize: the items it processed in each of its
// phases (in order, with the phase's name) and the metrics it recorded. Rank 0's phases
// define the job's; every rank processes its own share of the items (DESIGN.md: items are
// summed over ranks, metrics from any rank are kept).
struct RankMarks {
  std::vector<std::pair<std::string, std::uint64_t>> phase_items;
  std::vector<Metric> metrics;
};

// Every rank's marks on rank 0 of comm (its own first), through Boost.Serialization; nothing
// elsewhere. Collective.
std::vector<RankMarks> gather_rank_marks(const RankMarks& mine, MPI_Comm comm);

}  // namespace erg
