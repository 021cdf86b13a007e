#include "mpi_bytes.hpp"

#include <algorithm>

namespace erg {

namespace {

constexpr int tag_size = 7301, tag_bytes = 7302;
constexpr size_t chunk_bytes = size_t{1} << 30;  // MPI counts are int

void send_bytes(const std::string& bytes, int dest, MPI_Comm comm) {
  unsigned long long n = bytes.size();
  MPI_Send(&n, 1, MPI_UNSIGNED_LONG_LONG, dest, tag_size, comm);
  for (size_t offset = 0; offset < bytes.size(); offset += chunk_bytes)
    MPI_Send(bytes.data() + offset, static_cast<int>(std::min(chunk_bytes, bytes.size() - offset)), MPI_BYTE, dest,
             tag_bytes, comm);
}

std::string receive_bytes(int source, MPI_Comm comm) {
  unsigned long long n = 0;
  MPI_Recv(&n, 1, MPI_UNSIGNED_LONG_LONG, source, tag_size, comm, MPI_STATUS_IGNORE);
  std::string bytes(n, '\0');
  for (size_t offset = 0; offset < bytes.size(); offset += chunk_bytes)
    MPI_Recv(bytes.data() + offset, static_cast<int>(std::min(chunk_bytes, bytes.size() - offset)), MPI_BYTE, source,
             tag_bytes, comm, MPI_STATUS_IGNORE);
  return bytes;
}

}  // namespace

std::vector<std::string> gather_bytes(const std::string& mine, int root, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  std::vector<std::string> all;
  if (rank != root) {
    send_bytes(mine, root, comm);
    return all;
  }
  for (int source = 0; source < size; ++source)
    all.push_back(source == root ? mine : receive_bytes(source, comm));
  return all;
}

std::string broadcast_bytes(std::string bytes, int root, MPI_Comm comm) {
  unsigned long long n = bytes.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, comm);
  bytes.resize(n);
  for (size_t offset = 0; offset < bytes.size(); offset += chunk_bytes)
    MPI_Bcast(bytes.data() + offset, static_cast<int>(std::min(chunk_bytes, bytes.size() - offset)), MPI_BYTE, root, comm);
  return bytes;
}

}  // namespace erg
