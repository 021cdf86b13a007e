#pragma once
#include <memory>
#include <string>

#include "sensors/gpu/gpu_backend.hpp"
#include "util/shared_library.hpp"

namespace erg {

// NVIDIA GPUs through NVML (libnvidia-ml.so.1), loaded at run time.
class NvmlBackend final : public GpuBackend {
 public:
  // nullptr, with why in reason, when the library or a GPU cannot be used.
  static std::unique_ptr<NvmlBackend> open(const std::string& library, std::string& reason);
  ~NvmlBackend() override;
  const char* source() const override { return "nvml"; }
  const std::vector<GpuDevice>& devices() const override { return devices_; }
  std::optional<double> energy_j(unsigned device) override;
  std::optional<double> power_w(unsigned device) override;

 private:
  using Return = int;  // nvmlReturn_t: 0 is NVML_SUCCESS
  using Device = void*;
  explicit NvmlBackend(std::unique_ptr<SharedLibrary> library) : library_(std::move(library)) {}

  std::unique_ptr<SharedLibrary> library_;
  Return (*shutdown_)() = nullptr;
  Return (*total_energy_)(Device, unsigned long long*) = nullptr;
  Return (*power_usage_)(Device, unsigned*) = nullptr;
  std::vector<Device> handles_;
  std::vector<GpuDevice> devices_;
};

}  // namespace erg
