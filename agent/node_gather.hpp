#pragma once
#include <mpi.h>

#include <vector>

#include "trace/node_trace.hpp"

namespace erg {

// Gathers the node leaders' traces to rank 0 of leaders (Boost.Serialization over MPI,
// point to point and in chunks, so no int count limits the size). Every leader sends
// exactly one trace, whatever happened to its sampler, so nobody waits forever. Returns
// all traces on rank 0 of leaders (its own first), nothing elsewhere.
std::vector<NodeTrace> gather_node_traces(NodeTrace own, MPI_Comm leaders);

}  // namespace erg
