#pragma once
#include "config/settings.hpp"
#include "sensors/node_sensors.hpp"

namespace erg {

// The sensor settings of a process from its erg settings and its own environment (the GPUs
// that CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES and Slurm give it). Here, above both
// layers, so that the sensors never depend on how erg is configured.
SensorSettings sensor_settings_from(const Settings& settings);

}  // namespace erg
