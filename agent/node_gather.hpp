#pragma once
#include <mpi.h>

#include <vector>

#include "aggregator/job_sources.hpp"

namespace erg {

// Gathers the node leaders' parts of the job (what each read back from its spool) to rank 0
// of leaders, through Boost.Serialization. Every leader sends exactly one part, whatever
// happened to its session, so nobody waits forever. Returns all parts on rank 0 of leaders
// (its own first), nothing elsewhere.
std::vector<NodeSource> gather_node_sources(NodeSource own, MPI_Comm leaders);

}  // namespace erg
