#pragma once
#include <cstddef>
#include <string>

#include "spool/spool_directory.hpp"
#include "spool/spool_reader.hpp"
#include "util/file_descriptor.hpp"

namespace erg::spool {

// Reads a spool while its node session still writes it (erg exporter: the live energy of the
// jobs running on a node). Each poll() reads only what was appended since the last one, by
// the rules of parse_spool, and keeps in memory only the new samples and those before them
// back to each domain's last reading: a spool of a week-long job at 1 ms costs the same as
// one of a minute.
class SpoolFollower {
 public:
  // Opens NAME in dir, without following a link; throws std::runtime_error when it is not a
  // regular file that can be read.
  SpoolFollower(const JobSpoolDirectory& dir, const std::string& name);

  // Reads at most max_bytes more of the file. Afterwards contents().node holds, before the
  // new samples, those back to the earliest of the domains' last readings (not NaN) before
  // this call, so that every interval between two readings of a domain is seen whole. false when the file is not a spool (a wrong magic): it is never read again.
  bool poll(std::size_t max_bytes = default_poll_bytes);
  const SpoolContents& contents() const { return contents_; }
  bool has_header() const { return !contents_.header.is_null(); }
  // Whether everything written so far has been read (a spool that was years long when first
  // seen is caught up over several polls).
  bool caught_up() const { return caught_up_; }

  static constexpr std::size_t default_poll_bytes = std::size_t{8} << 20;
  // At most this many samples are kept from one poll to the next, whatever failed.
  static constexpr std::size_t max_kept_samples = 4096;

 private:
  void keep_last_readings();

  FileDescriptor fd_;
  std::string name_;
  std::size_t offset_ = 0;  // of the file, up to which it was read into pending_
  std::string pending_;     // read and not yet taken: a record still being written
  bool magic_checked_ = false;
  bool failed_ = false;
  bool caught_up_ = false;
  SpoolContents contents_;
};

}  // namespace erg::spool
