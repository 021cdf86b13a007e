#include "node_layout.hpp"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "mpi_bytes.hpp"

namespace boost::serialization {

template <class Archive>
void serialize(Archive& ar, erg::GpuSelection& s, unsigned) {
  ar & s.all & s.ids & s.from;
}

}  // namespace boost::serialization

namespace erg {

namespace {

constexpr size_t max_node_name = 255;

// Ranks with the same node name share a color: the lowest rank of them.
int node_color(MPI_Comm comm, const std::string& node, int size) {
  std::vector<char> mine(max_node_name + 1, '\0'), all((max_node_name + 1) * static_cast<size_t>(size));
  std::strncpy(mine.data(), node.c_str(), max_node_name);
  MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_CHAR, all.data(), static_cast<int>(mine.size()),
                MPI_CHAR, comm);
  for (int r = 0; r < size; ++r)
    if (std::strncmp(all.data() + static_cast<size_t>(r) * mine.size(), mine.data(), mine.size()) == 0) return r;
  return 0;
}

std::string serialized(const GpuSelection& selection) {
  std::ostringstream bytes;
  boost::archive::binary_oarchive archive(bytes);
  archive << selection;
  return bytes.str();
}

GpuSelection deserialized(const std::string& bytes) {
  GpuSelection selection;
  try {
    std::istringstream in(bytes);
    boost::archive::binary_iarchive archive(in);
    archive >> selection;
  } catch (const std::exception&) {  // all GPUs: counting too much is said, losing one is not
    selection = GpuSelection{};
  }
  return selection;
}

}  // namespace

NodeLayout::NodeLayout(MPI_Comm comm, const std::string& node) : node_(node) {
  MPI_Comm_dup(comm, &comm_);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  MPI_Comm_split(comm_, node_color(comm_, node_, size_), rank_, &node_comm_);
  MPI_Comm_rank(node_comm_, &node_rank_);
  MPI_Comm_size(node_comm_, &node_size_);
  MPI_Comm_split(comm_, node_rank_ == 0 ? 0 : MPI_UNDEFINED, rank_, &leaders_comm_);
}

NodeLayout::~NodeLayout() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  for (MPI_Comm* c : {&leaders_comm_, &node_comm_, &comm_})
    if (*c != MPI_COMM_NULL) MPI_Comm_free(c);
}

std::vector<pid_t> NodeLayout::node_pids() const {
  int pid = static_cast<int>(::getpid());
  std::vector<int> all(static_cast<size_t>(node_size_));
  MPI_Gather(&pid, 1, MPI_INT, all.data(), 1, MPI_INT, 0, node_comm_);
  if (!is_leader()) return {};
  return std::vector<pid_t>(all.begin(), all.end());
}

cpu_set_t NodeLayout::node_cpus() const {
  cpu_set_t mine;
  CPU_ZERO(&mine);
  if (sched_getaffinity(0, sizeof mine, &mine) != 0) CPU_ZERO(&mine);
  std::vector<cpu_set_t> all(static_cast<size_t>(node_size_));
  MPI_Gather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, 0, node_comm_);
  cpu_set_t merged;
  CPU_ZERO(&merged);
  if (is_leader())
    for (auto& cpus : all) CPU_OR(&merged, &merged, &cpus);
  return merged;
}

std::vector<GpuSelection> NodeLayout::node_gpus() const {
  auto lookup = [](const char* name) -> const char* { return std::getenv(name); };
  std::vector<GpuSelection> merged;
  for (GpuVendor vendor : {GpuVendor::nvidia, GpuVendor::amd}) {
    std::vector<std::string> all = gather_bytes(serialized(gpu_selection(vendor, lookup)), 0, node_comm_);
    std::vector<GpuSelection> selections;
    for (const auto& bytes : all) selections.push_back(deserialized(bytes));
    merged.push_back(merge(selections));
  }
  return merged;
}

}  // namespace erg
