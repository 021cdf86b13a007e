#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "util/file_descriptor.hpp"

namespace erg {

namespace {

std::pair<std::string, std::string> folder_and_name(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

std::string unpredictable_suffix() {
  unsigned long long bits = 0;
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits))
    bits ^= static_cast<unsigned long long>(::getpid()) << 32 ^ reinterpret_cast<std::uintptr_t>(&bits);
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", bits);
  return text;
}

}  // namespace

std::string temporary_file_name(const std::string& name) { return "." + name + ".tmp-" + unpredictable_suffix(); }

void write_file_atomically(const std::string& path, std::string_view bytes, const std::optional<FileOwnership>& ownership) {
  auto [folder_path, name] = folder_and_name(path);
  FileDescriptor folder(::open(folder_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder.valid()) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  write_file_atomically_at(folder.get(), name, bytes, ownership, path);
}

void write_file_atomically_at(int folder_fd, const std::string& name, std::string_view bytes,
                              const std::optional<FileOwnership>& ownership, const std::string& path) {
  auto cannot = [&](int error) { return std::runtime_error("cannot write " + path + ": " + std::strerror(error)); };
  const std::string temporary = temporary_file_name(name);
  FileDescriptor fd(::openat(folder_fd, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                             ownership ? 0600 : 0644));
  if (!fd.valid()) throw cannot(errno);
  auto fail = [&](int error) {
    ::unlinkat(folder_fd, temporary.c_str(), 0);
    throw cannot(error);
  };
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(n < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(n);
  }
  if (ownership && (::fchown(fd.get(), ownership->uid, ownership->gid) != 0 || ::fchmod(fd.get(), ownership->mode) != 0))
    fail(errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) fail(errno);
  if (::close(fd.release()) != 0) fail(errno);
  if (::renameat(folder_fd, temporary.c_str(), folder_fd, name.c_str()) != 0) fail(errno);
}

}  // namespace erg
