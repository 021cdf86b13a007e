#pragma once
// Where a job's node files lie (docs/trace-format.md, "Node files"): each node's samples in a
// file of its own, beside the job file, which links them. For job.h5 they are
// job.nodes/<node>.h5, each holding /nodes/<node> as the job file would.
#include <optional>
#include <string>

#include "util/atomic_file.hpp"
#include "util/file_descriptor.hpp"

namespace erg {

// HDF5 group names cannot hold '/': the node's group (and file) name; its own name is kept in
// an attribute.
std::string node_group_name(const std::string& node);

// "job.nodes" for ".../job.h5": the folder's name, relative to the job file's folder.
std::string node_folder_name(const std::string& trace_path);
// "job.nodes/n1.h5": a node's file as the job file links it.
std::string node_file_link(const std::string& trace_path, const std::string& node);
// The node's file as a path, from wherever trace_path is given.
std::string node_file_path(const std::string& trace_path, const std::string& node);

// Whether link has the shape erg writes ("<stem>.nodes/<one name>.h5": nothing absolute,
// nothing that climbs out of the job file's folder): only such links are followed.
bool is_node_file_link(const std::string& link);

// Opens the node file link names, beside the job file at trace_path, for reading: never
// through a symbolic link (of its folder or of itself), only a regular file, and only one
// that belongs to the job file's owner (root reading a user's trace must not read another
// user's files for it). An invalid descriptor where any of that fails.
FileDescriptor open_beside(const std::string& trace_path, const std::string& link);

// Opens the trace's node folder, creating it where it is missing. Never follows a link in its
// place, and refuses a folder that belongs to someone else than this process (a user could
// plant one where root collects). With ownership (root collecting), the folder is given to
// it (its group may read). Throws std::runtime_error naming the folder and why.
FileDescriptor open_node_folder(const std::string& trace_path, const std::optional<FileOwnership>& ownership);

}  // namespace erg
