#include "node_gather.hpp"

#include <algorithm>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <sstream>
#include <string>

#include "trace/node_trace_serialization.hpp"

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

std::vector<NodeTrace> gather_node_traces(NodeTrace own, MPI_Comm leaders) {
  std::vector<NodeTrace> nodes;
  int rank = 0, size = 1;
  MPI_Comm_rank(leaders, &rank);
  MPI_Comm_size(leaders, &size);
  if (rank != 0) {
    std::ostringstream bytes;
    try {
      boost::archive::binary_oarchive archive(bytes);
      archive << own;
    } catch (const std::exception&) {
      bytes.str("");
    }
    send_bytes(bytes.str(), 0, leaders);
    return nodes;
  }
  nodes.push_back(std::move(own));
  for (int source = 1; source < size; ++source) {
    std::string bytes = receive_bytes(source, leaders);
    NodeTrace node;
    try {
      std::istringstream in(bytes);
      boost::archive::binary_iarchive archive(in);
      archive >> node;
    } catch (const std::exception&) {
      node = NodeTrace{};
      node.node = "leader-" + std::to_string(source);
      node.notes.push_back("this node's trace could not be decoded");
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace erg
