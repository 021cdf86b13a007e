#include "spool/spool_follower.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spool/spool_format.hpp"

namespace erg::spool {

SpoolFollower::SpoolFollower(const JobSpoolDirectory& dir, const std::string& name)
    : fd_(is_safe_name(name) ? ::openat(dir.fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1),
      name_(dir.path() + "/" + name) {
  struct stat st{};
  if (!fd_.valid() || ::fstat(fd_.get(), &st) != 0 || !S_ISREG(st.st_mode))
    throw std::runtime_error(name_ + ": not a spool file that can be read");
}

void SpoolFollower::keep_last_readings() {
  NodeTrace& node = contents_.node;
  const std::size_t n = node.time_s.size();
  // From the earliest of the domains' last readings: a domain whose last reads failed keeps
  // the reading its next interval begins at. Bounded: a domain whose reads failed for good
  // must not make the follower keep the whole spool.
  std::size_t first = n > 0 ? n - 1 : 0;
  for (const auto& d : node.domains)
    for (std::size_t i = d.energy_j.size(); i-- > 0;)
      if (std::isfinite(d.energy_j[i])) {
        first = std::min(first, i);
        break;
      }
  first = std::max(first, n > max_kept_samples ? n - max_kept_samples : std::size_t{0});
  if (first > 0) {
    node.time_s.erase(node.time_s.begin(), node.time_s.begin() + static_cast<std::ptrdiff_t>(first));
    for (auto& d : node.domains)
      d.energy_j.erase(d.energy_j.begin(),
                       d.energy_j.begin() + static_cast<std::ptrdiff_t>(std::min(first, d.energy_j.size())));
  }
  // A catch-up poll of megabytes leaves capacity behind: given back, or every long job would
  // keep its largest poll for good.
  auto release = [](std::vector<double>& v) {
    if (v.capacity() > 4 * v.size() + 64) v.shrink_to_fit();
  };
  release(node.time_s);
  for (auto& d : node.domains) release(d.energy_j);
  // The spool's notes: the latest few, not every one of a week-long job.
  constexpr std::size_t kept_notes = 16;
  if (node.notes.size() > kept_notes)
    node.notes.erase(node.notes.begin(), node.notes.end() - static_cast<std::ptrdiff_t>(kept_notes));
}

bool SpoolFollower::poll(std::size_t max_bytes) {
  if (failed_) return false;
  keep_last_readings();
  // Only what was appended is read (its size first): a buffer of max_bytes per job would
  // cost megabytes for every job a node runs.
  struct stat st{};
  if (::fstat(fd_.get(), &st) != 0) return true;
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  const std::size_t wanted = size > offset_ ? std::min(size - offset_, max_bytes) : 0;
  const std::size_t had = pending_.size();
  pending_.resize(had + wanted);
  ssize_t n = wanted ? ::pread(fd_.get(), pending_.data() + had, wanted, static_cast<off_t>(offset_)) : 0;
  pending_.resize(had + (n > 0 ? static_cast<std::size_t>(n) : 0));
  if (n > 0) offset_ += static_cast<std::size_t>(n);
  caught_up_ = offset_ >= size;

  std::size_t start = 0;
  if (!magic_checked_) {
    if (pending_.size() < magic.size()) return true;  // the file is being created
    if (pending_.compare(0, magic.size(), magic) != 0) {
      failed_ = true;
      pending_.clear();
      return false;
    }
    magic_checked_ = true;
    start = magic.size();
  }
  // A record's payload is at most max_payload_bytes: a tail longer than that which still
  // does not read as records is damage, not a record being written.
  const bool complete = pending_.size() > max_payload_bytes + record_header_bytes;
  const std::size_t taken = read_records(contents_, pending_, start, complete);
  pending_.erase(0, taken);
  if (pending_.capacity() > (std::size_t{1} << 16) && pending_.size() < (std::size_t{1} << 12)) pending_.shrink_to_fit();
  return true;
}

}  // namespace erg::spool
