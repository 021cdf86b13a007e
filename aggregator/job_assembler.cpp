#include "aggregator/job_assembler.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <optional>

#include "aggregator/job_metadata.hpp"
#include "aggregator/job_outputs.hpp"
#include "aggregator/node_shares.hpp"
#include "aggregator/rank_marks.hpp"
#include "accounting/node_summary.hpp"
#include "accounting/power_series.hpp"
#include "trace/trace_file.hpp"
#include "util/errors.hpp"

namespace erg {

namespace {

// The wall-clock time of a node's time 0, where its spool recorded one (a node whose session
// never started has none, and no samples to align).
std::optional<double> recorded_start_unix_s(const nlohmann::json& header) {
  if (!header.is_object()) return std::nullopt;
  auto it = header.find("start_unix_s");
  if (it == header.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

void shift(std::vector<Phase>& phases, double by_s) {
  for (auto& p : phases) p.start_s += by_s, p.end_s += by_s;
}

// What the spools recorded of the job wins over the host's defaults, where it says anything.
void take_identity(JobInfo& job, const nlohmann::json& header) {
  if (auto id = header.value("job_id", std::string()); !id.empty()) job.job_id = id;
  if (!header.contains("job") || !header.at("job").is_object()) return;
  const auto& recorded = header.at("job");
  if (auto name = recorded.value("name", std::string()); !name.empty()) job.job_name = name;
  if (auto user = recorded.value("user", std::string()); !user.empty()) job.user = user;
  if (recorded.contains("extra") && recorded.at("extra").is_object())
    for (const auto& [key, value] : recorded.at("extra").items())
      if (value.is_string()) job.extra[key] = value.get<std::string>();
}

std::vector<std::string> node_notes(const NodeSource& source) {
  const auto& s = source.spool;
  std::vector<std::string> notes;
  if (s.skipped_bytes || s.skipped_records)
    notes.push_back("spool: " + std::to_string(s.skipped_bytes) + " damaged bytes and " +
                    std::to_string(s.skipped_records) + " bad records skipped");
  if (!recorded_start_unix_s(s.header)) return notes;  // no session ran: its own notes say why
  if (!s.footer && source.still_written)
    notes.push_back("the node's sampler was still running when this trace was assembled: "
                    "the data end at its last flush");
  else if (!s.footer)
    notes.push_back("spool has no final record: the node daemon was stopped hard; the data end at its last flush");
  if (s.footer && s.footer->thinned_samples > 0)
    notes.push_back(std::to_string(s.footer->thinned_samples) +
                    " samples were left out while the spool could not be written (time resolution lost, no energy)");
  return notes;
}

// Marks are the job's user's to write: a phase is an interval of the job's own clock. One
// that lies outside the job is left out, one that reaches out is cut at the job's bounds,
// each with a note. The slack covers a phase bound taken after the node's last flush.
void keep_phases_within_the_job(JobTrace& trace, double end_s) {
  const double slack_s = std::max(trace.interval_s, 1.0) + 1.0;
  std::vector<Phase> kept;
  for (auto& p : trace.phases) {
    if (p.end_s < -slack_s || p.start_s > end_s + slack_s) {
      trace.notes.push_back("phase '" + p.name + "' lies outside the job's time; left out");
      continue;
    }
    if (p.start_s < -slack_s || p.end_s > end_s + slack_s)
      trace.notes.push_back("phase '" + p.name + "' reached outside the job's time; cut at its bounds");
    p.start_s = std::clamp(p.start_s, 0.0, end_s);
    p.end_s = std::clamp(p.end_s, p.start_s, end_s);
    kept.push_back(std::move(p));
  }
  trace.phases = std::move(kept);
}

// Without MPI, every rank leaves marks of its own: those of ranks other than 0 add their
// items and metrics to rank 0's phases (the rule the MPI agent applies at erg_finalize), and
// say on which node each rank ran, for the nodes whose rank count nobody else knew.
void merge_rank_marks(JobSources& sources) {
  std::vector<JobMarks> job_marks, others;
  for (auto& m : sources.marks) (m.rank == 0 ? job_marks : others).push_back(std::move(m));
  std::map<std::string, int> ranks_on;
  for (const auto& m : job_marks)
    if (!m.node.empty()) ++ranks_on[m.node];
  std::stable_sort(others.begin(), others.end(), [](const JobMarks& a, const JobMarks& b) { return a.rank < b.rank; });
  // A rank's items count once: the rank inside a marks file is the job's user's to write, and
  // two files may claim the same one.
  std::set<int> merged;
  for (const auto& m : others) {
    if (!merged.insert(m.rank).second) {
      sources.notes.push_back("a second marks file of rank " + std::to_string(m.rank) + " was left out");
      continue;
    }
    if (!m.node.empty()) ++ranks_on[m.node];
    if (job_marks.empty()) {
      sources.notes.push_back("the marks of rank " + std::to_string(m.rank) +
                              " were left out: there are no marks of rank 0, whose phases are the job's");
      continue;
    }
    JobMarks& job = job_marks.front();
    if (auto note = add_rank_marks(job.phases, job.metrics, m.rank, rank_marks_of(m))) job.notes.push_back(*note);
    job.notes.insert(job.notes.end(), m.notes.begin(), m.notes.end());
  }
  for (auto& node : sources.nodes)
    if (node.n_ranks == 0)
      if (auto it = ranks_on.find(node.spool.node.node); it != ranks_on.end()) node.n_ranks = it->second;
  sources.marks = std::move(job_marks);
}

}  // namespace

double job_start_unix_s(const JobSources& sources) {
  std::optional<double> earliest_unix_s;
  for (const auto& s : sources.nodes)
    if (auto start = recorded_start_unix_s(s.spool.header))
      if (!earliest_unix_s || *start < *earliest_unix_s) earliest_unix_s = start;
  for (const auto& marks : sources.marks)
    if (!earliest_unix_s) earliest_unix_s = marks.start_unix_s;
  return earliest_unix_s.value_or(0.0);
}

double node_end_s(const NodeSource& source, double job_start_unix_s) {
  const auto& s = source.spool;
  if (s.node.time_s.empty()) return 0;
  return s.node.time_s.back() + recorded_start_unix_s(s.header).value_or(job_start_unix_s) - job_start_unix_s;
}

NodeTrace assemble_node(NodeSource& source, double job_start_unix_s) {
  auto& s = source.spool;
  const double offset_s = recorded_start_unix_s(s.header).value_or(job_start_unix_s) - job_start_unix_s;
  for (double& t : s.node.time_s) t += offset_s;
  s.node.spool_skipped_bytes = s.skipped_bytes;
  for (auto& note : node_notes(source)) s.node.notes.push_back(std::move(note));
  s.node.n_ranks = source.n_ranks;
  charge_node_share(s.node);
  NodeTrace node = std::move(s.node);
  s.node = NodeTrace{};
  return node;
}

JobTrace assemble_job_record(JobSources sources, const JobInfo& job, const CarbonSettings& carbon, double job_start_unix_s,
                             double end_s, int node_ranks) {
  JobTrace trace;
  trace.job = job;
  trace.carbon = carbon;
  for (const auto& s : sources.nodes)
    if (recorded_start_unix_s(s.spool.header)) {
      take_identity(trace.job, s.spool.header);
      trace.interval_s = s.spool.header.value("interval_s", 1.0);
      break;
    }

  int n_ranks = 0;
  for (auto& marks : sources.marks) {
    const double by_s = marks.start_unix_s - job_start_unix_s;
    shift(marks.phases, by_s);
    trace.phases.insert(trace.phases.end(), marks.phases.begin(), marks.phases.end());
    if (marks.open_phase) {
      marks.open_phase->start_s += by_s;
      if (marks.open_phase->start_s <= end_s) {
        marks.open_phase->end_s = end_s;
        trace.phases.push_back(*marks.open_phase);
        trace.notes.push_back("phase '" + marks.open_phase->name +
                              "' was still open when the job ended; it ends at the job's last sample");
      }
    }
    trace.metrics.insert(trace.metrics.end(), marks.metrics.begin(), marks.metrics.end());
    trace.notes.insert(trace.notes.end(), marks.notes.begin(), marks.notes.end());
    n_ranks = std::max(n_ranks, marks.n_ranks);
  }
  trace.notes.insert(trace.notes.end(), sources.notes.begin(), sources.notes.end());
  keep_phases_within_the_job(trace, end_s);
  std::stable_sort(trace.phases.begin(), trace.phases.end(),
                   [](const Phase& a, const Phase& b) { return a.start_s < b.start_s; });

  // 0 where nobody counted the ranks (node daemons without an MPI agent's marks, erg run):
  // a guess such as one per node would be reported as if it were known.
  trace.job.n_ranks = n_ranks > 0 ? n_ranks : node_ranks;
  using namespace std::chrono;
  auto start = system_clock::time_point(duration_cast<system_clock::duration>(duration<double>(job_start_unix_s)));
  trace.job.start_utc = utc_iso8601(start);
  trace.job.start_unix_s = job_start_unix_s;
  trace.job.end_utc = utc_iso8601(start, end_s);
  trace.job.duration_s = end_s;
  return trace;
}

JobTrace assemble_job(JobSources sources, const JobInfo& job, const CarbonSettings& carbon) {
  merge_rank_marks(sources);
  const double start_unix_s = job_start_unix_s(sources);
  double end_s = 0;
  int node_ranks = 0;
  std::vector<NodeTrace> nodes;
  for (auto& source : sources.nodes) {
    end_s = std::max(end_s, node_end_s(source, start_unix_s));
    node_ranks += source.n_ranks;
    nodes.push_back(assemble_node(source, start_unix_s));
  }
  JobTrace trace = assemble_job_record(std::move(sources), job, carbon, start_unix_s, end_s, node_ranks);
  trace.nodes = std::move(nodes);
  finish_job_trace(trace);
  return trace;
}

namespace {

// The samples of a spool read again beyond what the first reading held (a spool still written)
// are left out: the job's end was taken from the first.
void keep_samples(NodeTrace& node, std::size_t n) {
  if (node.time_s.size() <= n) return;
  node.time_s.resize(n);
  for (auto& d : node.domains) d.energy_j.resize(std::min(d.energy_j.size(), n));
}

}  // namespace

JobTrace assemble_folder(const spool::JobSpoolDirectory& dir, const JobInfo& job, const CarbonSettings& carbon,
                         const std::string& trace_path, const std::optional<FileOwnership>& ownership,
                         std::vector<std::string>* used_spools) {
  // First reading: each spool's header, extent and rank count, one at a time.
  JobSources sources;
  std::vector<std::size_t> samples;
  std::vector<std::string> files;  // as listed: read again, and removed, by this name
  for (const auto& name : dir.list(".spool")) {
    const bool live = dir.is_held(name);
    auto bytes = dir.read_file(name);
    if (!bytes) continue;
    try {
      NodeSource source{spool::parse_spool(*bytes, name), live};
      samples.push_back(source.spool.node.time_s.size());
      const double last_s = source.spool.node.time_s.empty() ? 0.0 : source.spool.node.time_s.back();
      NodeTrace extent;
      extent.node = source.spool.node.node;
      extent.sampler_cpu_s = source.spool.node.sampler_cpu_s;
      source.spool.node = std::move(extent);
      source.spool.node.time_s.push_back(last_s);  // its extent, for node_end_s
      if (samples.back() == 0) source.spool.node.time_s.clear();
      sources.nodes.push_back(std::move(source));
      files.push_back(name);
    } catch (const UsageError&) {  // not even a header: nothing of this node can be used
    }
  }
  if (sources.nodes.empty()) throw UsageError("no readable node spool in " + dir.path());
  read_job_marks(dir, sources);
  merge_rank_marks(sources);
  const double start_unix_s = job_start_unix_s(sources);
  double end_s = 0;
  int node_ranks = 0;
  for (const auto& source : sources.nodes) {
    end_s = std::max(end_s, node_end_s(source, start_unix_s));
    node_ranks += source.n_ranks;
  }
  std::vector<NodeSource> stubs = sources.nodes;  // headers and names, for the second reading
  JobTrace trace = assemble_job_record(std::move(sources), job, carbon, start_unix_s, end_s, node_ranks);

  // Second reading: each node summarized, written to its node file and added to the power
  // series, then let go.
  const auto carbon_start = job_start_for_carbon(trace.job);
  PowerSeriesSum power(power_grid(trace.job.duration_s));
  for (std::size_t i = 0; i < stubs.size(); ++i) {
    NodeSource& stub = stubs[i];
    std::optional<NodeSource> source;
    try {
      if (auto bytes = dir.read_file(files[i]))
        source = NodeSource{spool::parse_spool(*bytes, files[i]), stub.still_written, stub.n_ranks};
    } catch (const std::exception&) {
    }
    if (!source) {  // its spool stays where it is: the trace holds none of its samples
      NodeSummary gone;
      gone.node = stub.spool.node.node;
      gone.n_ranks = stub.n_ranks;
      gone.notes.push_back("its spool could not be read a second time");
      trace.summaries.push_back(std::move(gone));
      continue;
    }
    // What the first reading held, as it held it: a spool that went on (or ended) since keeps
    // the first reading's end, footer and notes.
    if (source->spool.node.time_s.size() != samples[i] || !stub.spool.footer) {
      source->spool.footer = stub.spool.footer;
      source->spool.node.sampler_cpu_s = stub.spool.node.sampler_cpu_s;
    }
    keep_samples(source->spool.node, samples[i]);
    NodeTrace node = assemble_node(*source, start_unix_s);
    NodeSummary summary = summarize_node(node, trace.phases, carbon, carbon_start);
    if (!node.time_s.empty()) summary.node_file = write_node_file(node, trace_path, trace.job.start_utc, ownership);
    power.add(node);
    trace.summaries.push_back(std::move(summary));
    if (used_spools) used_spools->push_back(files[i]);
  }
  sort_by_node(trace.summaries);
  trace.power = power.series();
  return trace;
}

}  // namespace erg
