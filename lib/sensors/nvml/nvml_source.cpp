#include "sensors/nvml/nvml_source.hpp"

#include "sensors/gpu/gpu_discovery.hpp"
#include "sensors/nvml/nvml_backend.hpp"

namespace erg::sensors::nvml {

namespace {

std::unique_ptr<GpuBackend> open_backend(const std::string& library, std::string& reason) {
  return NvmlBackend::open(library, reason);
}

}  // namespace

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  return discover_gpu_library("nvml", settings.nvml_library, settings.dev_root + "/nvidiactl", open_backend, settings.nvidia_gpus,
                              domains);
}

}  // namespace erg::sensors::nvml
