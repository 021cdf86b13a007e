#pragma once
#include <string>
#include <string_view>

namespace erg {

// Writes bytes to PATH.tmp-PID, syncs it and renames it over path: a reader sees the old
// file or the whole new one, never a torn one. A failed write (a full disk) removes the
// temporary file and throws std::runtime_error naming the path and the reason.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace erg
