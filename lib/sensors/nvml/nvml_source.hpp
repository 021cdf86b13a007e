#pragma once
#include "sensors/source.hpp"

namespace erg::sensors::nvml {

// NVIDIA GPUs through NVML (settings.nvml_library, loaded at run time): one gpu<N> domain per
// device, the job's devices (settings.nvidia_gpus) read. Without the library, one probe says why.
SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains);

}  // namespace erg::sensors::nvml
