#include "trace/node_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace erg {

namespace {

std::filesystem::path folder_of(const std::string& trace_path) {
  std::filesystem::path folder = std::filesystem::path(trace_path).parent_path();
  return folder.empty() ? std::filesystem::path(".") : folder;
}

}  // namespace

std::string node_group_name(const std::string& node) {
  std::string name = node.empty() ? "unnamed" : node;
  for (char& c : name)
    if (c == '/') c = '_';
  return name == "." ? "_" : name;
}

std::string node_folder_name(const std::string& trace_path) {
  return std::filesystem::path(trace_path).stem().string() + ".nodes";
}

std::string node_file_link(const std::string& trace_path, const std::string& node) {
  return node_folder_name(trace_path) + "/" + node_group_name(node) + ".h5";
}

std::string node_file_path(const std::string& trace_path, const std::string& node) {
  return (folder_of(trace_path) / node_file_link(trace_path, node)).string();
}

bool is_node_file_link(const std::string& link) {
  // "<stem>.nodes/<file>.h5", one level: a job file renamed keeps its folder's old stem.
  const auto slash = link.find('/');
  if (slash == std::string::npos || link.find('/', slash + 1) != std::string::npos) return false;
  const std::string folder = link.substr(0, slash), file = link.substr(slash + 1);
  const std::string suffix = ".nodes";
  return folder.size() > suffix.size() && folder.compare(folder.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         file.size() > 3 && file.compare(file.size() - 3, 3, ".h5") == 0;
}

FileDescriptor open_beside(const std::string& trace_path, const std::string& link) {
  if (!is_node_file_link(link)) return FileDescriptor();
  const auto slash = link.find('/');
  struct stat trace {};
  if (::stat(trace_path.c_str(), &trace) != 0) return FileDescriptor();
  FileDescriptor parent(::open(folder_of(trace_path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent.valid()) return FileDescriptor();
  FileDescriptor folder(::openat(parent.get(), link.substr(0, slash).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!folder.valid()) return FileDescriptor();
  // O_NONBLOCK: a FIFO planted in its place must not hang the reader; it is refused below.
  FileDescriptor file(::openat(folder.get(), link.substr(slash + 1).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat st {};
  if (!file.valid() || ::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != trace.st_uid)
    return FileDescriptor();
  return file;
}

FileDescriptor open_node_folder(const std::string& trace_path, const std::optional<FileOwnership>& ownership) {
  const std::filesystem::path parent = folder_of(trace_path);
  const std::string name = node_folder_name(trace_path);
  const std::string shown = (parent / name).string();
  auto cannot = [&](const std::string& why) { return std::runtime_error("cannot write the node files in " + shown + ": " + why); };
  FileDescriptor folder(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder.valid()) throw cannot(std::strerror(errno));
  // Several node leaders create it at once: the one that loses finds it made.
  if (::mkdirat(folder.get(), name.c_str(), ownership ? 0700 : 0755) != 0 && errno != EEXIST) throw cannot(std::strerror(errno));
  FileDescriptor nodes(::openat(folder.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!nodes.valid()) throw cannot(errno == ELOOP || errno == ENOTDIR ? "it is not a folder" : std::strerror(errno));
  struct stat st {};
  if (::fstat(nodes.get(), &st) != 0) throw cannot(std::strerror(errno));
  if (st.st_uid != ::geteuid()) throw cannot("it belongs to another user");
  if (ownership && (::fchown(nodes.get(), ownership->uid, ownership->gid) != 0 || ::fchmod(nodes.get(), 0750) != 0))
    throw cannot(std::strerror(errno));
  return nodes;
}

}  // namespace erg
