#include "sensors/gpu/gpu_discovery.hpp"

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

}  // namespace erg
