#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "util/file_descriptor.hpp"

namespace erg::spool {

// A job's folder in the spool: ROOT/<job>/ with one <node>.spool per node daemon and a
// marks/ folder where the job's own agent leaves its phases. ROOT must be writable by its
// owner only, root or erg's user, whatever its sticky bit; a job's folder is used only if it
// is such a folder too. Nothing below ROOT is reached through a symbolic link (openat with
// O_NOFOLLOW), names are checked, and when run as root the folder is root-owned and readable
// by the job's group only (0750, files 0640), so the job's user can read its trace but not
// alter it or another job's data (docs/security.md).
class JobSpoolDirectory {
 public:
  // For the node daemon: creates what is missing. reader_gid: the job user's group;
  // marks_owner: the job's user, who may write its phase marks.
  static JobSpoolDirectory create(const std::string& root, const std::string& job_id,
                                  std::optional<gid_t> reader_gid, std::optional<uid_t> marks_owner);
  // For erg collect and the agent: the folder must exist.
  static JobSpoolDirectory open(const std::string& root, const std::string& job_id);
  // The same, for a folder given by its path (PARENT/NAME): the spool that `erg run` and the
  // MPI agent keep beside their trace, which is the job's folder itself.
  static JobSpoolDirectory create_at(const std::string& folder);
  static JobSpoolDirectory open_at(const std::string& folder);
  // Removes the folder and its marks/ once they are empty; false when something is left.
  static bool remove_if_empty(const std::string& folder);
  // The job folders of a spool root (names that are safe job ids), sorted.
  static std::vector<std::string> job_ids(const std::string& root);
  // Removes a job's folder and everything in it (spool retention, once its trace is in the
  // ledger), through descriptors and never through a link: its marks/ is the job user's.
  // false when something could not be removed.
  static bool remove_job(const std::string& root, const std::string& job_id);

  const std::string& path() const { return path_; }
  // Opens NAME for appending, created 0640 if missing; a symlink or non-regular file is refused.
  FileDescriptor open_for_append(const std::string& name) const;
  // Reads a regular file of the folder (or of marks/ with "marks/NAME"), at most max_bytes.
  std::optional<std::string> read_file(const std::string& name, size_t max_bytes = size_t{1} << 31) const;
  std::vector<std::string> list(const std::string& suffix, const std::string& subfolder = "") const;
  // Whether a process still holds NAME's lock (a node session writing its spool), asked
  // without taking it and without following a link.
  bool is_held(const std::string& name) const;
  // Writes marks/NAME (the agent, as the job's user); throws std::runtime_error.
  void write_mark(const std::string& name, const std::string& text) const;
  // Removes NAME or "marks/NAME" (once its data are in a written trace).
  void remove(const std::string& name) const;
  int fd() const { return dir_.get(); }
  // When the folder or one of its files last changed (seconds since the epoch).
  double last_change_unix_s() const;

 private:
  JobSpoolDirectory(FileDescriptor dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
  static JobSpoolDirectory create_in(FileDescriptor root_fd, const std::string& root, const std::string& job_id,
                                     std::optional<gid_t> reader_gid, std::optional<uid_t> marks_owner);
  static JobSpoolDirectory open_in(FileDescriptor root_fd, const std::string& root, const std::string& job_id);
  // NAME or "SUBFOLDER/NAME": the folder that holds it (opened into subfolder) and its base name.
  int parent_of(const std::string& name, FileDescriptor& subfolder, std::string& base) const;
  FileDescriptor dir_;
  std::string path_;
};

// Job ids and node names become file names: letters, digits, '.', '_' and '-' only, not "." or "..".
bool is_safe_name(const std::string& name);
std::string checked_name(const std::string& what, const std::string& name);  // throws UsageError

}  // namespace erg::spool
