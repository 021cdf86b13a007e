#pragma once
#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sensors/models/cpu_tdp.hpp"
#include "sensors/gpu/gpu_visibility.hpp"
#include "sensors/sensor.hpp"
#include "sensors/sensor_probe.hpp"

namespace erg {

struct SensorSettings {
  std::string powercap_root = "/sys/class/powercap";
  std::string proc_root = "/proc";
  std::string cpuinfo_path = "/proc/cpuinfo";
  std::string data_dir;  // for the TDP tables
  double dram_w_per_gb = 0.375;
  // The job's processes, for the models' CPU share and memory.
  std::function<std::vector<pid_t>()> job_roots;
  std::string nvml_library = "libnvidia-ml.so.1";
  std::string rocm_smi_library = "librocm_smi64.so";
  GpuSelection nvidia_gpus;  // the job's GPUs; all by default
  GpuSelection amd_gpus;
};

// Everything this node can measure: counters where they can be read, models where not.
struct NodeSensors {
  std::vector<std::unique_ptr<Sensor>> sensors;
  std::vector<SensorProbe> probes;
  std::vector<std::string> warnings;  // said once, on stderr and in the trace
  CpuTdp cpu_tdp;                     // also prices the sampler's own CPU time
};

NodeSensors discover_node_sensors(const SensorSettings& settings);

}  // namespace erg
