#pragma once
#include <optional>
#include <string>

namespace erg {

// Whether a GPU library is worth loading: the system's library (a bare name, found by the
// loader) only where the vendor's driver is there (its device file, such as /dev/nvidiactl
// or /dev/kfd). Loading ROCm SMI on a node without an AMD GPU prints "Failed to open drm
// root directory" and "Exception caught: rsmi_init." on stderr, the job's own: erg must not
// cause that. A library named by its path (ERG_NVML_LIBRARY, a stand-in) is loaded as asked.
// Returns why not to load it, or nothing.
std::optional<std::string> skip_library_reason(const std::string& library, const std::string& device_file);

}  // namespace erg
