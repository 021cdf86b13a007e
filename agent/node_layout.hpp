#pragma once
#include <mpi.h>
#include <sched.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "sensors/gpu/gpu_visibility.hpp"

namespace erg {

// How the job's ranks sit on nodes: ranks that share a node name (ERG_NODE_NAME, else
// SLURMD_NODENAME, else the host name) form the node; the lowest of them is its leader,
// which runs the node's session. Owns the communicators it makes (freed with it).
class NodeLayout {
 public:
  // Collective over comm.
  NodeLayout(MPI_Comm comm, const std::string& node);
  NodeLayout(const NodeLayout&) = delete;
  NodeLayout& operator=(const NodeLayout&) = delete;
  ~NodeLayout();

  const std::string& node() const { return node_; }
  MPI_Comm comm() const { return comm_; }
  MPI_Comm leaders() const { return leaders_comm_; }  // MPI_COMM_NULL on other ranks
  int rank() const { return rank_; }
  int size() const { return size_; }
  int node_size() const { return node_size_; }
  bool is_leader() const { return node_rank_ == 0; }

  // Collective over the node; the result is the node's on its leader, empty elsewhere.
  std::vector<pid_t> node_pids() const;       // the models' CPU share and memory of all its ranks
  cpu_set_t node_cpus() const;                // where its sampler may run: any rank's CPU
  std::vector<GpuSelection> node_gpus() const;  // NVIDIA, then AMD: the union of what its ranks see

 private:
  std::string node_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Comm node_comm_ = MPI_COMM_NULL;
  MPI_Comm leaders_comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, node_rank_ = 0, node_size_ = 1;
};

}  // namespace erg
