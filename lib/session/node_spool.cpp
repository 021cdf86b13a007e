#include "session/node_spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <algorithm>

namespace erg {

namespace {

FileDescriptor open_locked(const spool::JobSpoolDirectory& dir, const std::string& node) {
  FileDescriptor fd = dir.open_for_append(spool::checked_name("node name", node) + ".spool");
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
    throw SpoolLocked(dir.path() + "/" + node + ".spool is held by another process");
  // A second header would not be read: an earlier run's samples are never appended to.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || st.st_size != 0)
    throw std::runtime_error(dir.path() + "/" + node + ".spool already holds an earlier run's samples");
  return fd;
}

}  // namespace

NodeSpool::NodeSpool(const spool::JobSpoolDirectory& dir, const Sampler& sampler, const nlohmann::json& header)
    : sampler_(sampler), writer_(open_locked(dir, header.at("node").get<std::string>())) {
  header_notes_ = header.value("notes", std::vector<std::string>{});
  writer_.write_header(header);
  writer_.sync();
}

std::string NodeSpool::flush() {
  std::vector<double> rows;
  size_t end = sampler_.samples_since(flushed_, rows);
  try {
    writer_.write_samples(rows, sampler_.domain_count() + 1);
    writer_.sync();
    flushed_ = end;
    last_error_.clear();
    return "";
  } catch (const std::exception& e) {
    if (e.what() == last_error_) return "";
    last_error_ = e.what();
    return last_error_;
  }
}

std::string NodeSpool::finish(const nlohmann::json& footer) {
  std::string error = flush();
  if (!last_error_.empty()) return last_error_;
  try {
    for (const auto& note : sampler_.trace().notes)
      if (std::find(header_notes_.begin(), header_notes_.end(), note) == header_notes_.end()) writer_.write_note(note);
    writer_.write_footer(footer);
    writer_.sync();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace erg
