#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sensors/domain_registry.hpp"
#include "sensors/sensor.hpp"
#include "sensors/sensor_probe.hpp"
#include "sensors/sensor_settings.hpp"

namespace erg {

// What one source found on this node: the sensors it will read, a probe line for everything
// it looked at (used or not, and why), and warnings worth saying once on stderr and in the trace.
struct SourceDiscovery {
  std::vector<std::unique_ptr<Sensor>> sensors;
  std::vector<SensorProbe> probes;
  std::vector<std::string> warnings;
};

// The one shape of every source: each folder of lib/sensors/ (rapl/, nvml/, ...) exposes
// erg::sensors::<source>::discover, and sensors/source_registry.cpp lists them in order.
// A source claims every domain it will write in domains before it builds a sensor for it,
// and leaves out (with a probe saying so) what it cannot claim.
using DiscoverSource = SourceDiscovery (*)(const SensorSettings& settings, DomainRegistry& domains);

}  // namespace erg
