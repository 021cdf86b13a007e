#pragma once
#include <mpi.h>

#include <vector>

#include "aggregator/rank_marks.hpp"

namespace erg {

// Every rank's marks (aggregator/rank_marks.hpp) on rank 0 of comm (its own first), through
// Boost.Serialization; nothing elsewhere. Collective.
std::vector<RankMarks> gather_rank_marks(const RankMarks& mine, MPI_Comm comm);

}  // namespace erg
