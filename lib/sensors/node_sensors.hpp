#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sensors/models/cpu_tdp.hpp"
#include "sensors/sensor.hpp"
#include "sensors/sensor_probe.hpp"
#include "sensors/sensor_settings.hpp"

namespace erg {

// Everything this node can measure: counters where they can be read, models where not.
struct NodeSensors {
  std::vector<std::unique_ptr<Sensor>> sensors;
  std::vector<SensorProbe> probes;
  std::vector<std::string> warnings;  // said once, on stderr and in the trace
  CpuTdp cpu_tdp;                     // also prices the sampler's own CPU time
};

// Runs every source of sensors/source_registry.cpp, in its order, against one DomainRegistry.
NodeSensors discover_node_sensors(const SensorSettings& settings);

}  // namespace erg
