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

bool is_node_file_link(const std::string& trace_path, const std::string& link) {
  const std::string folder = node_folder_name(trace_path) + "/";
  if (link.compare(0, folder.size(), folder) != 0) return false;
  const std::string file = link.substr(folder.size());
  return file.size() > 3 && file.find('/') == std::string::npos && file.compare(file.size() - 3, 3, ".h5") == 0;
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
