#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace erg {

// Who a file erg writes belongs to, set through its descriptor before it is in place
// (erg collect as root: root and the job's group, 0640).
struct FileOwnership {
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t mode = 0640;
};

// Writes bytes to a new temporary file beside path, syncs it and renames it over path: a
// reader sees the old file or the whole new one, never a torn one. The temporary file is
// created relative to the folder's descriptor with O_EXCL | O_NOFOLLOW under a name nobody
// can predict, and renamed within that folder, so that nothing a user planted in the folder
// (a link, a FIFO) is followed, even as root. A failed write (a full disk) removes the
// temporary file and throws std::runtime_error naming the path and the reason.
void write_file_atomically(const std::string& path, std::string_view bytes,
                           const std::optional<FileOwnership>& ownership = std::nullopt);

// ".NAME.tmp-<16 hex digits nobody can predict>": where a file is built before it is renamed
// to NAME, in NAME's folder.
std::string temporary_file_name(const std::string& name);

// The same within a folder already open (folder_fd), as name; path names it in messages.
void write_file_atomically_at(int folder_fd, const std::string& name, std::string_view bytes,
                              const std::optional<FileOwnership>& ownership, const std::string& path);

}  // namespace erg
