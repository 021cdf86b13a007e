#include "sensors/nvml/nvml_source.hpp"

#include "sensors/gpu/gpu_discovery.hpp"
#include "sensors/nvml/nvml_backend.hpp"

namespace erg::sensors::nvml {

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  std::string reason;
  if (auto backend = NvmlBackend::open(settings.nvml_library, reason))
    return discover_gpus(std::move(backend), settings.nvidia_gpus, domains);
  SourceDiscovery found;
  found.probes.push_back({"gpu", "nvml", settings.nvml_library, "unavailable", reason});
  return found;
}

}  // namespace erg::sensors::nvml
