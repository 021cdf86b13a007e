#include "sensors/rocm_smi/rocm_smi_source.hpp"

#include "sensors/gpu/driver_probe.hpp"
#include "sensors/gpu/gpu_discovery.hpp"
#include "sensors/rocm_smi/rocm_smi_backend.hpp"

namespace erg::sensors::rocm_smi {

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  SourceDiscovery found;
  if (auto skip = skip_library_reason(settings.rocm_smi_library, settings.dev_root + "/kfd")) {
    found.probes.push_back({"gpu", "rocm-smi", settings.rocm_smi_library, "unavailable", *skip});
    return found;
  }
  std::string reason;
  if (auto backend = RocmSmiBackend::open(settings.rocm_smi_library, reason))
    return discover_gpus(std::move(backend), settings.amd_gpus, domains);
  found.probes.push_back({"gpu", "rocm-smi", settings.rocm_smi_library, "unavailable", reason});
  return found;
}

}  // namespace erg::sensors::rocm_smi
