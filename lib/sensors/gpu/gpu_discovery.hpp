#pragma once
#include <memory>
#include <string>

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

// The whole of a GPU source: the library loaded only where its driver is (driver_probe.hpp),
// then discover_gpus, or a probe line saying why not. open: the backend's
// open(library, reason), returning null with a reason.
using OpenGpuBackend = std::unique_ptr<GpuBackend> (*)(const std::string& library, std::string& reason);
SourceDiscovery discover_gpu_library(const char* source, const std::string& library, const std::string& device_file,
                                     OpenGpuBackend open, const GpuSelection& selection, DomainRegistry& domains);

}  // namespace erg
