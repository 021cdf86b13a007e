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
  std::vector<std::string> domains;  // the power series' domains (second broadcast)
};

template <class Archive>
void serialize_frame(Archive& ar, JobFrame& f) {
  ar & f.valid & f.phases & f.start_utc & f.duration_s & f.domains;
}

std::string frame_bytes(JobFrame frame) {
  std::ostringstream out;
  boost::archive::binary_oarchive archive(out);
  serialize_frame(archive, frame);
  return out.str();
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
  int rank = 0;
  MPI_Comm_rank(leaders, &rank);
  ReducedNode result;
  NodeTrace node = assemble_node(own, how.job_start_unix_s);

  // The job's end (its latest sample anywhere) and the ranks the nodes counted, at rank 0.
  double end_s = node.time_s.empty() ? 0.0 : node.time_s.back(), job_end_s = 0;
  int node_ranks = node.n_ranks, job_ranks = 0;
  MPI_Reduce(&end_s, &job_end_s, 1, MPI_DOUBLE, MPI_MAX, 0, leaders);
  MPI_Reduce(&node_ranks, &job_ranks, 1, MPI_INT, MPI_SUM, 0, leaders);

  std::optional<JobTrace> record;
  std::string failure;
  JobFrame frame;
  if (rank == 0) {
    try {
      record = how.make_record(own, job_end_s, job_ranks);
      frame = {true, record->phases, record->job.start_utc, record->job.duration_s, {}};
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  frame = frame_from(broadcast_bytes(rank == 0 ? frame_bytes(frame) : std::string(), 0, leaders));

  JobInfo job;
  job.start_utc = frame.start_utc;
  NodeSummary summary = summarize_node(node, frame.phases, how.carbon, job_start_for_carbon(job));
  if (!how.trace_path.empty() && frame.valid && !node.time_s.empty()) try {
      summary.node_file = write_node_file(node, how.trace_path);
      result.node_file_written = true;
    } catch (const std::exception& e) {
      summary.notes.push_back(std::string("its samples are not in the trace: ") + e.what() + "; its spool is kept");
    }
  std::vector<std::string> all = gather_bytes(rank == 0 ? std::string() : summary_bytes(summary), 0, leaders);

  std::vector<NodeSummary> summaries;
  if (rank == 0) {
    summaries.push_back(std::move(summary));
    for (std::size_t leader = 1; leader < all.size(); ++leader) summaries.push_back(summary_from(all[leader], leader));
    all.clear();
    std::set<std::string> names;
    for (const auto& s : summaries)
      for (const auto& d : s.domains) names.insert(d.info.name);
    frame.domains.assign(names.begin(), names.end());
  }
  // The power series: each leader's cumulative joules on the job's grid, summed at rank 0.
  frame.domains = frame_from(broadcast_bytes(rank == 0 ? frame_bytes(frame) : std::string(), 0, leaders)).domains;
  const PowerGrid grid = power_grid(frame.duration_s);
  std::vector<double> values = node_power_values(node, frame.domains, grid);
  node = NodeTrace{};  // its samples are written: the reduction needs only these values
  std::vector<double> sum(rank == 0 ? values.size() : 0);
  if (!values.empty())
    MPI_Reduce(values.data(), rank == 0 ? sum.data() : nullptr, static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, 0, leaders);

  if (rank != 0) return result;
  if (!record) throw std::runtime_error(failure.empty() ? "the job's record could not be made" : failure);
  std::sort(summaries.begin(), summaries.end(), [](const NodeSummary& a, const NodeSummary& b) { return a.node < b.node; });
  record->summaries = std::move(summaries);
  record->power = power_series_from(frame.domains, grid, std::move(sum));
  result.job = std::move(record);
  return result;
}

}  // namespace erg
