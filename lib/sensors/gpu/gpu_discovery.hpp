#pragma once
#include <memory>

#include "sensors/gpu/gpu_backend.hpp"
#include "sensors/gpu/gpu_visibility.hpp"
#include "sensors/source.hpp"

namespace erg {

// What the NVML and ROCm SMI sources share once their library is open: every device the
// backend sees claims the next free gpu<N> of the node, so that names do not depend on the
// job's visibility and the vendor's index stays in the domain's gpu_index; the devices of
// the job (selection) are read by one GpuSensor, the others are probes saying why not.
SourceDiscovery discover_gpus(std::unique_ptr<GpuBackend> backend, const GpuSelection& selection,
                              DomainRegistry& domains);

}  // namespace erg
