#pragma once
#include <mpi.h>

#include <string>
#include <vector>

namespace erg {

// Every rank's bytes on root (in rank order, its own included); nothing elsewhere. The node
// data, rank marks and GPU selections, serialized with Boost.Serialization, travel as these:
// sizes first, then the bytes in chunks, so that no int count limits them.
std::vector<std::string> gather_bytes(const std::string& mine, int root, MPI_Comm comm);

// root's bytes on every rank (what the others pass is ignored).
std::string broadcast_bytes(std::string bytes, int root, MPI_Comm comm);

}  // namespace erg
