#include "session/spool_beside_trace.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>

#include "spool/spool_reader.hpp"
#include "util/errors.hpp"

namespace erg {

std::string SpoolBesideTrace::path_for(const std::string& trace_path) {
  return std::filesystem::path(trace_path).replace_extension(".spool").string();  // as job.json beside it
}

namespace {

// The pid of a process that still writes a node spool of the folder (its lock is held), as
// its header records it; 0 when the pid cannot be read; nullopt when nobody writes it.
std::optional<long> live_writer(const std::string& path) {
  std::optional<spool::JobSpoolDirectory> folder;
  try {
    folder.emplace(spool::JobSpoolDirectory::open_at(path));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  for (const auto& name : folder->list(".spool")) {
    if (!folder->is_held(name)) continue;
    auto header = spool::read_spool_header(*folder, name);
    return header ? header->value("pid", 0L) : 0L;
  }
  return std::nullopt;
}

}  // namespace

void SpoolBesideTrace::set_aside_earlier(const std::string& trace_path, const Warn& warn) {
  const std::string path = path_for(trace_path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (auto pid = live_writer(path))
    throw UsageError(trace_path + " is being written by a running job (" +
                     (*pid > 0 ? "pid " + std::to_string(*pid) : "its spool " + path + " is in use") +
                     "); give this run another --out");
  std::tm tm{};
  gmtime_r(&st.st_mtime, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "-%Y%m%dT%H%M%SZ", &tm);
  std::filesystem::path aside(path);
  aside.replace_filename(aside.stem().string() + stamp + ".spool");
  if (::rename(path.c_str(), aside.c_str()) != 0) {
    warn("an earlier run's spool " + path + " cannot be moved aside (" + std::strerror(errno) +
         "): this run keeps no crash-safe copy");
    return;
  }
  warn("an earlier run's samples were in " + path + " (killed before its trace was written?): moved to " +
       aside.string() + "; `erg collect " + aside.string() + "` writes its trace");
}

std::string SpoolBesideTrace::trace_path_for(const std::string& spool_path) {
  std::string folder = spool_path;
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  return std::filesystem::path(folder).replace_extension(".h5").string();
}

std::string SpoolBesideTrace::kept_note(const std::string& trace_path) {
  return "the measurements are kept in " + path_for(trace_path) + ": `erg collect " + path_for(trace_path) +
         "` writes " + trace_path + " once that is possible";
}

SpoolBesideTrace::SpoolBesideTrace(const std::string& trace_path)
    : path_(path_for(trace_path)), folder_(spool::JobSpoolDirectory::create_at(path_)) {}

void SpoolBesideTrace::remove(const std::string& name) {
  folder_.remove(name);
  spool::JobSpoolDirectory::remove_if_empty(path_);
}

}  // namespace erg
