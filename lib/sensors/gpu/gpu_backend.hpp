#pragma once
#include <optional>
#include <string>
#include <vector>

namespace erg {

struct GpuDevice {
  unsigned index = 0;  // the vendor library's index
  std::string name;
  std::string uuid;
  bool has_energy_counter = false;
};

// One vendor's GPU library (NVML, ROCm SMI) behind the reads the GPU sensor needs.
class GpuBackend {
 public:
  virtual ~GpuBackend() = default;
  virtual const char* source() const = 0;  // "nvml", "rocm-smi"
  virtual const std::vector<GpuDevice>& devices() const = 0;
  // The device's cumulative energy counter in joules; nullopt when the read fails.
  virtual std::optional<double> energy_j(unsigned device) = 0;
  // The device's power in watts; nullopt when the read fails.
  virtual std::optional<double> power_w(unsigned device) = 0;
};

}  // namespace erg
