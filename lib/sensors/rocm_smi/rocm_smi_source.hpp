#pragma once
#include "sensors/source.hpp"

namespace erg::sensors::rocm_smi {

// AMD GPUs through ROCm SMI (settings.rocm_smi_library, loaded at run time): one gpu<N> domain
// per device, numbered after the NVIDIA ones, the job's devices (settings.amd_gpus) read.
// Without the library, one probe says why.
SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains);

}  // namespace erg::sensors::rocm_smi
