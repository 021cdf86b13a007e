#include "sensors/gpu/driver_probe.hpp"

#include <unistd.h>

namespace erg {

std::optional<std::string> skip_library_reason(const std::string& library, const std::string& device_file) {
  if (library.find('/') != std::string::npos) return std::nullopt;
  if (::access(device_file.c_str(), F_OK) == 0) return std::nullopt;
  return "no " + device_file + ": the vendor's driver is not loaded on this node (library not loaded)";
}

}  // namespace erg
