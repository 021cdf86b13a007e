#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spool/spool_footer.hpp"
#include "spool/spool_format.hpp"
#include "util/file_descriptor.hpp"

namespace erg::spool {

// Appends records to an open spool file. A failed write (a full disk) throws
// std::runtime_error; what was written before stays valid, and a later flush may retry.
class SpoolWriter {
 public:
  explicit SpoolWriter(FileDescriptor fd);
  void write_header(const nlohmann::json& header);
  // rows: per sample, time_s then one cumulative energy_j per domain (width values each).
  void write_samples(const std::vector<double>& rows, size_t width);
  void write_note(const std::string& note);
  void write_footer(const SpoolFooter& footer);
  void sync();  // fdatasync: on the disk, not only in the page cache

 private:
  void append(RecordType type, std::string_view payload);
  FileDescriptor fd_;
};

}  // namespace erg::spool
