#include "session/sensor_settings.hpp"

#include <cstdlib>

namespace erg {

SensorSettings sensor_settings_from(const Settings& settings) {
  SensorSettings s;
  s.powercap_root = settings.powercap_root;
  s.data_dir = resolve_data_dir(settings);
  s.dram_w_per_gb = settings.dram_w_per_gb;
  if (!settings.nvml_library.empty()) s.nvml_library = settings.nvml_library;
  if (!settings.rocm_smi_library.empty()) s.rocm_smi_library = settings.rocm_smi_library;
  auto lookup = [](const char* name) -> const char* { return std::getenv(name); };
  s.nvidia_gpus = gpu_selection(GpuVendor::nvidia, lookup);
  s.amd_gpus = gpu_selection(GpuVendor::amd, lookup);
  return s;
}

}  // namespace erg
