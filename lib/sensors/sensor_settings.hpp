#pragma once
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "sensors/gpu/gpu_visibility.hpp"

namespace erg {

// Where each source looks on this node, and what it counts: one struct for all of them, so
// that every source's discover() has the same shape (sensors/source.hpp).
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
  std::string dev_root = "/dev";  // where the GPU drivers' device files are (driver_probe.hpp)
  GpuSelection nvidia_gpus;  // the job's GPUs; all by default
  GpuSelection amd_gpus;
  // A node the job shares with other jobs: also sample the job's and the node's CPU time,
  // and, where they can be found (a root node daemon), that of every job's processes.
  bool record_cpu_time = false;
  std::function<std::vector<pid_t>()> all_job_roots;
};

}  // namespace erg
