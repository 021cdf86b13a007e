#include "node_reduction.hpp"

#include <algorithm>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <set>
#include <sstream>

#include "accounting/node_summary.hpp"
#include "accounting/power_series.hpp"
#include "aggregator/job_assembler.hpp"
#include "mpi_bytes.hpp"
#include "trace/node_trace_serialization.hpp"
#include "trace/trace_file.hpp"

namespace erg {

namespace {

// What rank 0 tells the leaders before they summarize: the job's phases and clock.
struct JobFrame {
  bool valid = false;
  std::vector<Phase> phases;
  std::string start_utc;
  double duration_s = 0;
  CarbonSettings carbon;
  std::vector<std::string> domains;  // the power series' domains (second broadcast)
};

template <class Archive>
void serialize_frame(Archive& ar, JobFrame& f) {
  ar & f.valid & f.phases & f.start_utc & f.duration_s & f.carbon & f.domains;
}

std::string frame_bytes(JobFrame frame) {
  try {
    std::ostringstream out;
    boost::archive::binary_oarchive archive(out);
    serialize_frame(archive, frame);
    return out.str();
  } catch (const std::exception&) {  // an invalid frame, said by every leader alike
    return "";
  }
}

JobFrame frame_from(const std::string& bytes) {
  JobFrame frame;
  try {
    std::istringstream in(bytes);
    boost::archive::binary_iarchive archive(in);
    serialize_frame(archive, frame);
  } catch (const std::exception&) {
    frame = JobFrame{};
  }
  return frame;
}

}  // namespace

std::string summary_bytes(const NodeSummary& summary) {
  try {
    std::ostringstream out;
    boost::archive::binary_oarchive archive(out);
    archive << summary;
    return out.str();
  } catch (const std::exception&) {  // sent empty: rank 0 notes that it could not be decoded
    return "";
  }
}

NodeSummary summary_from(const std::string& bytes, std::size_t leader) {
  NodeSummary summary;
  try {
    std::istringstream in(bytes);
    boost::archive::binary_iarchive archive(in);
    archive >> summary;
  } catch (const std::exception&) {
    summary = NodeSummary{};
    summary.node = "leader-" + std::to_string(leader);
    summary.notes.push_back("this node's summary could not be decoded");
  }
  return summary;
}

ReducedNode reduce_nodes(NodeSource own, const NodeReduction& how, MPI_Comm leaders) {
  // Every collective below is reached by every leader, whatever fails on its way: a local step
  // that throws leaves a value that says so (a note, zeros), never a leader that left early.
  int rank = 0;
  MPI_Comm_rank(leaders, &rank);
  ReducedNode result;
  // Its spool was read back whole (a session that started, and a reading that did not fail):
  // only then may a node without samples let its spool go.
  bool read_whole = own.spool.header.is_object() && own.spool.header.contains("start_unix_s");
  NodeTrace node;
  try {
    node = assemble_node(own, how.job_start_unix_s);
  } catch (const std::exception& e) {
    read_whole = false;
    node = NodeTrace{};
    node.node = own.spool.node.node;
    node.notes.push_back(std::string("its samples could not be put on the job's clock: ") + e.what());
  }

  // The job's end (its latest sample anywhere) and the ranks the nodes counted, at rank 0.
  double end_s = node.time_s.empty() ? 0.0 : node.time_s.back(), job_end_s = 0;
  int node_ranks = node.n_ranks, job_ranks = 0;
  MPI_Reduce(&end_s, &job_end_s, 1, MPI_DOUBLE, MPI_MAX, 0, leaders);
  MPI_Reduce(&node_ranks, &job_ranks, 1, MPI_INT, MPI_SUM, 0, leaders);

  std::optional<JobTrace> record;
  std::string failure;
  std::string bytes;
  if (rank == 0) {
    try {
      record = how.make_record(own, job_end_s, job_ranks);
      bytes = frame_bytes({true, record->phases, record->job.start_utc, record->job.duration_s, record->carbon, {}});
    } catch (const std::exception& e) {
      failure = e.what();
      bytes.clear();  // an invalid frame: the leaders write no node file, rank 0 no trace
    }
  }
  JobFrame frame = frame_from(broadcast_bytes(std::move(bytes), 0, leaders));

  NodeSummary summary;
  try {
    JobInfo job;
    job.start_utc = frame.start_utc;
    // Rank 0's carbon settings, so that every node prices its hours alike.
    summary = summarize_node(node, frame.phases, frame.valid ? frame.carbon : how.carbon, job_start_for_carbon(job));
  } catch (const std::exception& e) {
    summary = NodeSummary{};
    summary.node = node.node;
    summary.notes.push_back(std::string("this node could not be summarized: ") + e.what());
  }
  if (node.time_s.empty()) {
    result.node_file_written = read_whole;  // no samples: nothing its spool keeps
  } else if (!how.trace_path.empty() && frame.valid) {
    try {
      summary.node_file = write_node_file(node, how.trace_path, frame.start_utc);
      result.node_file_written = true;
    } catch (const std::exception& e) {
      summary.notes.push_back(std::string("its samples are not in the trace: ") + e.what() + "; its spool is kept");
    }
  }
  std::vector<std::string> all = gather_bytes(rank == 0 ? std::string() : summary_bytes(summary), 0, leaders);

  std::vector<NodeSummary> summaries;
  std::vector<std::string> domains;
  if (rank == 0) {
    summaries.push_back(std::move(summary));
    for (std::size_t leader = 1; leader < all.size(); ++leader) summaries.push_back(summary_from(all[leader], leader));
    all.clear();
    std::set<std::string> names;
    for (const auto& s : summaries)
      for (const auto& d : s.domains) names.insert(d.info.name);
    domains.assign(names.begin(), names.end());
  }
  // The power series: each leader's cumulative joules on the job's grid, summed at rank 0.
  // Its size travels as numbers, so that every leader passes the same count to the reduction.
  const PowerGrid grid = power_grid(frame.duration_s);
  unsigned long long shape[2] = {domains.size(), grid.points};
  MPI_Bcast(shape, 2, MPI_UNSIGNED_LONG_LONG, 0, leaders);
  JobFrame names;
  names.domains = std::move(domains);
  names.domains = frame_from(broadcast_bytes(rank == 0 ? frame_bytes(names) : std::string(), 0, leaders)).domains;
  const std::size_t count = static_cast<std::size_t>(shape[0] * shape[1]);
  std::vector<double> values;
  try {
    if (names.domains.size() == shape[0] && grid.points == shape[1]) values = node_power_values(node, names.domains, grid);
  } catch (const std::exception&) {
    values.clear();
  }
  if (values.size() != count) values.assign(count, 0.0);  // this node adds nothing rather than a hang
  node = NodeTrace{};  // its samples are written: the reduction needs only these values
  std::vector<double> sum(rank == 0 ? count : 0);
  // In pieces: MPI counts are int.
  constexpr std::size_t piece = std::size_t{1} << 28;
  for (std::size_t offset = 0; offset < count; offset += piece)
    MPI_Reduce(values.data() + offset, rank == 0 ? sum.data() + offset : nullptr,
               static_cast<int>(std::min(piece, count - offset)), MPI_DOUBLE, MPI_SUM, 0, leaders);

  if (rank != 0) return result;
  if (!record) throw std::runtime_error(failure.empty() ? "the job's record could not be made" : failure);
  sort_by_node(summaries);
  record->summaries = std::move(summaries);
  record->power = power_series_from(names.domains, grid, std::move(sum));
  result.job = std::move(record);
  return result;
}

}  // namespace erg
