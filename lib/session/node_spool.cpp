#include "session/node_spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <algorithm>

#include "sampler/sampler.hpp"

namespace erg {

namespace {

FileDescriptor open_locked(const spool::JobSpoolDirectory& dir, const std::string& file_name) {
  FileDescriptor fd = dir.open_for_append(file_name);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
    throw SpoolLocked(dir.path() + "/" + file_name + " is held by another process");
  // A second header would not be read: an earlier run's samples are never appended to.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || st.st_size != 0)
    throw std::runtime_error(dir.path() + "/" + file_name + " already holds an earlier run's samples");
  return fd;
}

}  // namespace

NodeSpool::NodeSpool(const spool::JobSpoolDirectory& dir, const nlohmann::json& header, size_t row_width)
    : file_name_(spool::checked_name("node name", header.at("node").get<std::string>()) + ".spool"),
      writer_(open_locked(dir, file_name_)),
      unwritten_(row_width, Sampler::default_window_rows) {
  header_notes_ = header.value("notes", std::vector<std::string>{});
  writer_.write_header(header);
  writer_.sync();
}

std::string NodeSpool::flush(const std::vector<double>& rows) {
  unwritten_.append(rows);
  if (unwritten_.rows() == 0 && last_error_.empty()) return "";
  batch_.clear();
  unwritten_.take(batch_);
  try {
    writer_.write_samples(batch_, unwritten_.width());
    writer_.sync();
    last_error_.clear();
    return "";
  } catch (const std::exception& e) {
    unwritten_.append(batch_);  // for the next flush
    if (e.what() == last_error_) return "";
    last_error_ = e.what();
    return last_error_;
  }
}

std::string NodeSpool::finish(const std::vector<double>& rows, const std::vector<std::string>& notes,
                              spool::SpoolFooter footer) {
  flush(rows);
  if (!last_error_.empty()) return last_error_;
  try {
    for (const auto& note : notes)
      if (std::find(header_notes_.begin(), header_notes_.end(), note) == header_notes_.end()) writer_.write_note(note);
    footer.thinned_samples += unwritten_.thinned_rows();
    writer_.write_footer(footer);
    writer_.sync();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace erg
