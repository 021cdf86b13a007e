#include "sensors/nvml/nvml_source.hpp"

#include "sensors/gpu/driver_probe.hpp"
#include "sensors/gpu/gpu_discovery.hpp"
#include "sensors/nvml/nvml_backend.hpp"

namespace erg::sensors::nvml {

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  SourceDiscovery found;
  if (auto skip = skip_library_reason(settings.nvml_library, settings.dev_root + "/nvidiactl")) {
    found.probes.push_back({"gpu", "nvml", settings.nvml_library, "unavailable", *skip});
    return found;
  }
  std::string reason;
  if (auto backend = NvmlBackend::open(settings.nvml_library, reason))
    return discover_gpus(std::move(backend), settings.nvidia_gpus, domains);
  found.probes.push_back({"gpu", "nvml", settings.nvml_library, "unavailable", reason});
  return found;
}

}  // namespace erg::sensors::nvml
