#include "sensors/rocm_smi/rocm_smi_source.hpp"

#include "sensors/gpu/gpu_discovery.hpp"
#include "sensors/rocm_smi/rocm_smi_backend.hpp"

namespace erg::sensors::rocm_smi {

namespace {

std::unique_ptr<GpuBackend> open_backend(const std::string& library, std::string& reason) {
  return RocmSmiBackend::open(library, reason);
}

}  // namespace

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  return discover_gpu_library("rocm-smi", settings.rocm_smi_library, settings.dev_root + "/kfd", open_backend, settings.amd_gpus,
                              domains);
}

}  // namespace erg::sensors::rocm_smi
