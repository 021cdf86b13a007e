#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace erg {

// An owned POSIX file descriptor, closed on destruction.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  ~FileDescriptor();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();

 private:
  int fd_ = -1;
};

// Reads a small text file (sysfs, procfs) from offset 0 with pread; nullopt when the read fails.
std::optional<std::string> pread_text(int fd);
// Opens and reads a whole small text file; nullopt when it cannot be read.
// At most max_bytes are kept (the rest is not read): a file another user controls, such as
// the environment of their process, must not cost root unbounded memory.
std::optional<std::string> read_text_file(const std::string& path, size_t max_bytes = SIZE_MAX);

}  // namespace erg
