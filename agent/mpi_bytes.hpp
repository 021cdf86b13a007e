#pragma once
#include <mpi.h>

#include <string>
#include <vector>

namespace erg {

// Byte strings of any length between ranks: the node data and GPU selections, serialized
// with Boost.Serialization, travel as these. Sizes first, then the bytes in chunks, so that
// no int count limits them.
void send_bytes(const std::string& bytes, int dest, MPI_Comm comm);
std::string receive_bytes(int source, MPI_Comm comm);

// Every rank's bytes on root (in rank order, its own included); nothing elsewhere.
std::vector<std::string> gather_bytes(const std::string& mine, int root, MPI_Comm comm);

}  // namespace erg
