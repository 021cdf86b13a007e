#include "aggregator/spool_collect.hpp"

#include <sys/file.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fcntl.h>

#include "aggregator/job_marks.hpp"
#include "aggregator/job_metadata.hpp"
#include "aggregator/job_outputs.hpp"
#include "spool/spool_directory.hpp"
#include "spool/spool_reader.hpp"
#include "util/errors.hpp"

namespace erg {

namespace {

void shift(std::vector<Phase>& phases, double by_s) {
  for (auto& p : phases) p.start_s += by_s, p.end_s += by_s;
}

}  // namespace

bool job_spools_finished(const spool::JobSpoolDirectory& dir) {
  for (const auto& name : dir.list(".spool")) {
    FileDescriptor fd(::openat(dir.fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) continue;
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) != 0) return false;  // its daemon still holds it
  }
  return true;
}

JobTrace collect_job(const spool::JobSpoolDirectory& dir, const CarbonSettings& carbon) {
  std::vector<spool::SpoolContents> spools;
  for (const auto& name : dir.list(".spool")) {
    auto bytes = dir.read_file(name);
    if (!bytes) continue;
    try {
      spools.push_back(spool::parse_spool(*bytes, name));
    } catch (const UsageError&) {  // not even a header: nothing of this node can be used
    }
  }
  if (spools.empty()) throw UsageError("no readable node spool in " + dir.path());

  double job_start_unix_s = 1e300;
  for (const auto& s : spools) job_start_unix_s = std::min(job_start_unix_s, s.header.value("start_unix_s", 0.0));

  JobTrace trace;
  trace.job = job_info_from_environment();
  const auto& first = spools.front().header;
  trace.job.job_id = first.value("job_id", std::string());
  if (first.contains("job")) {
    const auto& job = first.at("job");
    if (job.value("name", std::string()) != "") trace.job.job_name = job.value("name", std::string());
    if (job.value("user", std::string()) != "") trace.job.user = job.value("user", std::string());
    if (job.contains("extra") && job.at("extra").is_object())
      for (const auto& [key, value] : job.at("extra").items())
        if (value.is_string()) trace.job.extra[key] = value.get<std::string>();
  }
  trace.interval_s = first.value("interval_s", 1.0);
  double end_s = 0;
  for (auto& s : spools) {
    double offset_s = s.header.value("start_unix_s", job_start_unix_s) - job_start_unix_s;
    for (double& t : s.node.time_s) t += offset_s;
    if (!s.node.time_s.empty()) end_s = std::max(end_s, s.node.time_s.back());
    s.node.spool_skipped_bytes = s.skipped_bytes;
    if (s.skipped_bytes || s.skipped_records)
      s.node.notes.push_back("spool: " + std::to_string(s.skipped_bytes) + " damaged bytes and " +
                             std::to_string(s.skipped_records) + " bad records skipped");
    if (!s.footer)
      s.node.notes.push_back("spool has no final record: the node daemon was stopped hard; "
                             "the data end at its last flush");
    s.node.n_ranks = 0;
    trace.nodes.push_back(std::move(s.node));
  }

  int n_ranks = 0;
  for (const auto& name : dir.list(".json", "marks")) {
    auto text = dir.read_file("marks/" + name, 16u << 20);
    if (!text) continue;
    try {
      JobMarks marks = parse_marks(*text);
      shift(marks.phases, marks.start_unix_s - job_start_unix_s);
      if (marks.open_phase) marks.open_phase->start_s += marks.start_unix_s - job_start_unix_s;
      trace.phases.insert(trace.phases.end(), marks.phases.begin(), marks.phases.end());
      if (marks.open_phase && marks.open_phase->start_s <= end_s) {
        marks.open_phase->end_s = end_s;
        trace.phases.push_back(*marks.open_phase);
        trace.notes.push_back("phase '" + marks.open_phase->name +
                              "' was still open when the job ended; it ends at the job's last sample");
      }
      trace.metrics.insert(trace.metrics.end(), marks.metrics.begin(), marks.metrics.end());
      trace.notes.insert(trace.notes.end(), marks.notes.begin(), marks.notes.end());
      n_ranks = std::max(n_ranks, marks.n_ranks);
    } catch (const std::exception& e) {
      trace.notes.push_back("marks/" + name + " ignored: " + e.what());
    }
  }
  std::sort(trace.phases.begin(), trace.phases.end(), [](const Phase& a, const Phase& b) { return a.start_s < b.start_s; });
  trace.job.n_ranks = n_ranks > 0 ? n_ranks : static_cast<int>(trace.nodes.size());
  using namespace std::chrono;
  auto start = system_clock::time_point(duration_cast<system_clock::duration>(duration<double>(job_start_unix_s)));
  trace.job.start_utc = utc_iso8601(start);
  trace.job.start_unix_s = job_start_unix_s;
  trace.job.end_utc = utc_iso8601(start, end_s);
  trace.job.duration_s = end_s;
  trace.carbon = carbon;
  finish_job_trace(trace);
  return trace;
}

}  // namespace erg
