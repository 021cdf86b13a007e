#include "sensors/gpu/gpu_discovery.hpp"

#include "sensors/gpu/driver_probe.hpp"

#include <string>
#include <vector>

#include "sensors/gpu/gpu_sensor.hpp"

namespace erg {

SourceDiscovery discover_gpus(std::unique_ptr<GpuBackend> backend, const GpuSelection& selection,
                              DomainRegistry& domains) {
  SourceDiscovery found;
  std::vector<CountedGpu> counted;
  for (const auto& d : backend->devices()) {
    std::string domain = domains.claim_next("gpu", backend->source());
    std::string path = "device " + std::to_string(d.index) + ": " + d.name + " " + d.uuid;
    if (selection.includes(d)) {
      std::string method = gpu_measurement(d) == Measurement::counter ? "energy counter" : "power integrated over time";
      found.probes.push_back({domain, backend->source(), path, "used", method});
      counted.push_back({domain, d});
    } else {
      found.probes.push_back({domain, backend->source(), path, "not counted", "not the job's (" + selection.from + ")"});
    }
  }
  if (!counted.empty()) found.sensors.push_back(std::make_unique<GpuSensor>(std::move(backend), std::move(counted)));
  return found;
}

SourceDiscovery discover_gpu_library(const char* source, const std::string& library, const std::string& device_file,
                                     OpenGpuBackend open, const GpuSelection& selection, DomainRegistry& domains) {
  SourceDiscovery found;
  std::string reason;
  if (auto skip = skip_library_reason(library, device_file)) reason = *skip;
  else if (auto backend = open(library, reason)) return discover_gpus(std::move(backend), selection, domains);
  found.probes.push_back({"gpu", source, library, "unavailable", reason});
  return found;
}

}  // namespace erg
