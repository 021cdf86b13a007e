#include "aggregator/job_sources.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <thread>

#include "util/errors.hpp"
#include "util/text.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

JobSources read_job_sources(const spool::JobSpoolDirectory& dir) {
  JobSources sources;
  for (const auto& name : dir.list(".spool")) {
    bool live = dir.is_held(name);
    auto bytes = dir.read_file(name);
    if (!bytes) continue;
    try {
      sources.nodes.push_back({spool::parse_spool(*bytes, name), live});
    } catch (const UsageError&) {  // not even a header: nothing of this node can be used
    }
  }
  if (sources.nodes.empty()) throw UsageError("no readable node spool in " + dir.path());
  read_job_marks(dir, sources);
  return sources;
}

void read_job_marks(const spool::JobSpoolDirectory& dir, JobSources& sources) {
  size_t marks_files = 0;
  for (const auto& name : dir.list(".json", "marks")) {
    if (++marks_files > max_marks_files) {
      sources.notes.push_back("marks/" + name + " ignored: a job keeps at most " + std::to_string(max_marks_files) +
                              " marks files");
      continue;
    }
    auto text = dir.read_file("marks/" + name, max_marks_bytes);
    if (!text) {
      sources.notes.push_back("marks/" + name + " ignored: not a regular file of at most " +
                              std::to_string(max_marks_bytes) + " bytes");
      continue;
    }
    try {
      sources.marks.push_back(parse_marks(*text));
    } catch (const std::exception& e) {
      sources.notes.push_back("marks/" + name + " ignored: " + valid_utf8(e.what()));  // quotes the user's bytes
    }
  }
}

bool job_spools_finished(const spool::JobSpoolDirectory& dir) {
  for (const auto& name : dir.list(".spool"))
    if (dir.is_held(name)) return false;
  return true;
}

void wait_for_spools(const spool::JobSpoolDirectory& dir, double until_unix_s, double timeout_s) {
  const double deadline_s = monotonic_now_s() + timeout_s;
  std::map<std::string, double> interval_s;
  for (;;) {
    bool flushed = true;
    for (const auto& name : dir.list(".spool")) {
      if (!dir.is_held(name)) continue;
      if (!interval_s.count(name)) {  // a flush holds samples up to one interval before it
        auto header = spool::read_spool_header(dir, name);
        interval_s[name] = header ? header->value("interval_s", 1.0) : 1.0;
      }
      struct stat st {};
      if (::fstatat(dir.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      double written_unix_s = static_cast<double>(st.st_mtim.tv_sec) + 1e-9 * static_cast<double>(st.st_mtim.tv_nsec);
      flushed = flushed && written_unix_s >= until_unix_s + interval_s[name];
    }
    if (flushed || monotonic_now_s() >= deadline_s) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace erg
