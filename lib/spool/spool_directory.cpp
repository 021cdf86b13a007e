#include "spool/spool_directory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "util/errors.hpp"
#include "util/trusted_folder.hpp"

namespace erg::spool {

namespace {

constexpr int dir_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// A spool folder that cannot be opened or used as given (a link, a folder where a file
// should be, no permission): bad input to erg, said in one line with status 2.
[[noreturn]] void refuse(const std::string& what) { throw UsageError(what + ": " + std::strerror(errno)); }

// The Slurm spool root is the admin's (it may itself be a link to a shared file system).
// Root's erg reads and writes there what users leave in marks/: the root must be trusted.
FileDescriptor open_root(const std::string& root) {
  FileDescriptor fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) throw UsageError("spool directory " + root + ": " + std::strerror(errno));
  struct stat st {};
  ::fstat(fd.get(), &st);
  if (std::string problem = folder_trust_problem(st); !problem.empty())
    throw UsageError("spool directory " + root + " " + problem + "; refused (docs/security.md: root:root 0755)");
  return fd;
}

// The folder a spool beside a trace is made in (the trace's folder, /tmp say): a user's. As
// root it must not be writable by others unless sticky, where nobody can take our entries.
FileDescriptor open_trace_folder(const std::string& folder) {
  FileDescriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) throw UsageError("spool directory " + folder + ": " + std::strerror(errno));
  struct stat st {};
  ::fstat(fd.get(), &st);
  if (::geteuid() == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
    throw UsageError("spool directory " + folder + " is writable by others without the sticky bit; refused as root");
  return fd;
}

// A job's folder is used only if it is what erg made: a plain folder of root (or of erg's
// own user) that nobody else can write.
void check_job_folder(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw UsageError(path + ": " + std::strerror(errno));
  if (std::string problem = folder_trust_problem(st); !problem.empty()) throw UsageError(path + " " + problem + "; refused");
}

FileDescriptor open_subdir(int parent, const std::string& name, mode_t mode, bool create) {
  if (create && ::mkdirat(parent, name.c_str(), mode) != 0 && errno != EEXIST) refuse("cannot create " + name);
  FileDescriptor fd(::openat(parent, name.c_str(), dir_flags));
  if (!fd.valid()) {
    if (errno == ELOOP || errno == ENOTDIR) throw UsageError(name + " is not a plain folder (a link?); refused");
    refuse("cannot open " + name);
  }
  return fd;
}

}  // namespace

bool is_safe_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

std::string checked_name(const std::string& what, const std::string& name) {
  if (!is_safe_name(name))
    throw UsageError(what + " '" + name + "' is not a safe file name (letters, digits, '.', '_', '-')");
  return name;
}

JobSpoolDirectory JobSpoolDirectory::create(const std::string& root, const std::string& job_id,
                                            std::optional<gid_t> reader_gid, std::optional<uid_t> marks_owner) {
  return create_in(open_root(root), root, job_id, reader_gid, marks_owner);
}

JobSpoolDirectory JobSpoolDirectory::create_in(FileDescriptor root_fd, const std::string& root, const std::string& job_id,
                                               std::optional<gid_t> reader_gid, std::optional<uid_t> marks_owner) {
  FileDescriptor dir = open_subdir(root_fd.get(), checked_name("job id", job_id), 0750, true);
  struct stat st {};
  ::fstat(dir.get(), &st);
  if (st.st_uid != ::geteuid()) throw UsageError(root + "/" + job_id + " belongs to another user; refused");
  if (::geteuid() == 0) {
    if (::fchown(dir.get(), 0, reader_gid.value_or(0)) != 0) fail("cannot set the owner of " + job_id);
    if (::fchmod(dir.get(), 0750) != 0) fail("cannot set the mode of " + job_id);
  }
  FileDescriptor marks = open_subdir(dir.get(), "marks", 0700, true);
  if (::geteuid() == 0 && marks_owner) {
    if (::fchown(marks.get(), *marks_owner, reader_gid.value_or(0)) != 0) fail("cannot set the owner of marks/");
    if (::fchmod(marks.get(), 0700) != 0) fail("cannot set the mode of marks/");
  }
  return JobSpoolDirectory(std::move(dir), root + "/" + job_id);
}

JobSpoolDirectory JobSpoolDirectory::open(const std::string& root, const std::string& job_id) {
  return open_in(open_root(root), root, job_id);
}

JobSpoolDirectory JobSpoolDirectory::open_in(FileDescriptor root_fd, const std::string& root, const std::string& job_id) {
  FileDescriptor dir(::openat(root_fd.get(), checked_name("job id", job_id).c_str(), dir_flags));
  if (!dir.valid()) throw UsageError("no spool for job " + job_id + " in " + root + ": " + std::strerror(errno));
  check_job_folder(dir.get(), root + "/" + job_id);
  return JobSpoolDirectory(std::move(dir), root + "/" + job_id);
}

namespace {

std::pair<std::string, std::string> split_folder(const std::string& folder) {
  std::string path = folder;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

JobSpoolDirectory JobSpoolDirectory::create_at(const std::string& folder) {
  auto [root, name] = split_folder(folder);
  return create_in(open_trace_folder(root), root, name, std::nullopt, std::nullopt);
}

JobSpoolDirectory JobSpoolDirectory::open_at(const std::string& folder) {
  auto [root, name] = split_folder(folder);
  return open_in(open_trace_folder(root), root, name);
}

bool JobSpoolDirectory::remove_if_empty(const std::string& folder) {
  auto [root, name] = split_folder(folder);
  FileDescriptor root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid() || !is_safe_name(name)) return false;
  FileDescriptor dir(::openat(root_fd.get(), name.c_str(), dir_flags));
  if (!dir.valid()) return false;
  ::unlinkat(dir.get(), "marks", AT_REMOVEDIR);
  return ::unlinkat(root_fd.get(), name.c_str(), AT_REMOVEDIR) == 0;
}

namespace {

// Every entry below dir (a job folder, its marks/, and what the job's user made inside that:
// max_depth levels), then nothing is left to follow: entries are removed by name relative to their folder's descriptor, a folder opened
// with O_NOFOLLOW, so a link that a user puts in marks/ is removed, not followed.
bool remove_contents(int dir_fd, int depth) {
  int fd = ::openat(dir_fd, ".", dir_flags);
  if (fd < 0) return false;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(fd), ::closedir);
  if (!dir) {
    ::close(fd);
    return false;
  }
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir.get()))
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) names.push_back(entry->d_name);
  bool all = true;
  for (const auto& name : names) {
    if (::unlinkat(dir_fd, name.c_str(), 0) == 0) continue;
    if (errno != EISDIR && errno != EPERM) {
      all = false;
      continue;
    }
    FileDescriptor sub(::openat(dir_fd, name.c_str(), dir_flags));
    all = sub.valid() && depth > 0 && remove_contents(sub.get(), depth - 1) &&
          ::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) == 0 && all;
  }
  return all;
}

}  // namespace

std::vector<std::string> JobSpoolDirectory::job_ids(const std::string& root) {
  FileDescriptor root_fd = open_root(root);
  std::vector<std::string> ids;
  int fd = ::openat(root_fd.get(), ".", dir_flags);
  if (fd < 0) return ids;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(fd), ::closedir);
  if (!dir) {
    ::close(fd);
    return ids;
  }
  while (dirent* entry = ::readdir(dir.get()))
    // DT_UNKNOWN: file systems that do not say (NFS, some XFS); opening the folder checks it.
    if (is_safe_name(entry->d_name) && (entry->d_type == DT_DIR || entry->d_type == DT_UNKNOWN))
      ids.push_back(entry->d_name);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool JobSpoolDirectory::remove_job(const std::string& root, const std::string& job_id) {
  FileDescriptor root_fd = open_root(root);
  // open_in takes its own descriptor of the root; ours unlinks the emptied folder from it.
  JobSpoolDirectory job = open_in(FileDescriptor(::fcntl(root_fd.get(), F_DUPFD_CLOEXEC, 0)), root, job_id);
  return remove_contents(job.fd(), 8) && ::unlinkat(root_fd.get(), job_id.c_str(), AT_REMOVEDIR) == 0;
}

double JobSpoolDirectory::last_change_unix_s() const {
  // Only what the folder's owner (root, erg) wrote counts: the job's user owns marks/ and
  // could set its time in the future to keep the folder from ever being pruned.
  struct stat folder {};
  if (::fstat(dir_.get(), &folder) != 0) return 0;
  double newest_s = static_cast<double>(folder.st_mtime);
  struct stat st {};
  for (const auto& name : list("")) {
    if (::fstatat(dir_.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_uid == folder.st_uid)
      newest_s = std::max(newest_s, static_cast<double>(st.st_mtime));
  }
  return newest_s;
}

int JobSpoolDirectory::parent_of(const std::string& name, FileDescriptor& subfolder, std::string& base) const {
  base = name;
  auto slash = name.find('/');
  if (slash == std::string::npos) return dir_.get();
  subfolder = FileDescriptor(::openat(dir_.get(), checked_name("folder", name.substr(0, slash)).c_str(), dir_flags));
  base = name.substr(slash + 1);
  return subfolder.get();
}

void JobSpoolDirectory::remove(const std::string& name) const {
  FileDescriptor subfolder;
  std::string base;
  int parent = parent_of(name, subfolder, base);
  if (parent >= 0 && is_safe_name(base)) ::unlinkat(parent, base.c_str(), 0);
}

FileDescriptor JobSpoolDirectory::open_for_append(const std::string& name) const {
  FileDescriptor fd(::openat(dir_.get(), checked_name("file", name).c_str(),
                             O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640));
  if (!fd.valid()) {
    if (errno == ELOOP) throw UsageError(path_ + "/" + name + " is a symbolic link; refused");
    refuse("cannot open " + path_ + "/" + name);
  }
  struct stat st {};
  ::fstat(fd.get(), &st);
  if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != ::geteuid())
    throw UsageError(path_ + "/" + name + " is not a plain file of ours; refused");
  // As root: the job's group reads its spools (the folder's group), as it reads its trace,
  // so that the job's own agent can write ERG_OUT from them; nobody else does.
  struct stat folder {};
  if (::geteuid() == 0 && (::fstat(dir_.get(), &folder) != 0 || ::fchown(fd.get(), 0, folder.st_gid) != 0 ||
                           ::fchmod(fd.get(), 0640) != 0))
    fail("cannot set the owner and mode of " + name);
  return fd;
}

std::optional<std::string> JobSpoolDirectory::read_file(const std::string& name, size_t max_bytes) const {
  FileDescriptor subfolder;
  std::string base;
  int parent = parent_of(name, subfolder, base);
  if (parent < 0 || !is_safe_name(base)) return std::nullopt;
  FileDescriptor fd(::openat(parent, base.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return std::nullopt;
  struct stat st {};
  // One link only: a user who may write marks/ could otherwise hard-link a root-only file
  // there (where fs.protected_hardlinks is off) and have root read it.
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
      static_cast<size_t>(st.st_size) > max_bytes)
    return std::nullopt;
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
    if (bytes.size() > max_bytes) return std::nullopt;
  }
  return bytes;
}

bool JobSpoolDirectory::is_held(const std::string& name) const {
  if (!is_safe_name(name)) return false;
  FileDescriptor fd(::openat(dir_.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  // Out of descriptors or memory, the spool's state is unknown: taken as held, so that no one
  // counts a running job ended. Gone, or a link: held by nobody.
  if (!fd.valid()) return errno == EMFILE || errno == ENFILE || errno == ENOMEM;
  return ::flock(fd.get(), LOCK_SH | LOCK_NB) != 0;
}

std::vector<std::string> JobSpoolDirectory::list(const std::string& suffix, const std::string& subfolder) const {
  int fd = subfolder.empty() ? ::openat(dir_.get(), ".", dir_flags)
                             : ::openat(dir_.get(), checked_name("folder", subfolder).c_str(), dir_flags);
  std::vector<std::string> names;
  if (fd < 0) return names;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(fd), ::closedir);
  if (!dir) {
    ::close(fd);
    return names;
  }
  while (dirent* entry = ::readdir(dir.get())) {
    std::string name = entry->d_name;
    if (is_safe_name(name) && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void JobSpoolDirectory::write_mark(const std::string& name, const std::string& text) const {
  FileDescriptor marks(::openat(dir_.get(), "marks", dir_flags));
  if (!marks.valid()) fail("cannot open " + path_ + "/marks");
  std::string temporary = "." + checked_name("mark", name) + ".tmp";
  FileDescriptor fd(::openat(marks.get(), temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640));
  if (!fd.valid()) fail("cannot write " + path_ + "/marks/" + name);
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) fail("cannot write " + name);
  if (::renameat(marks.get(), temporary.c_str(), marks.get(), name.c_str()) != 0) fail("cannot write " + name);
}

}  // namespace erg::spool
