#pragma once
#include <memory>
#include <string>

#include "sensors/gpu/gpu_backend.hpp"
#include "util/shared_library.hpp"

namespace erg {

// AMD GPUs through ROCm SMI (librocm_smi64.so), loaded at run time: the energy counter
// where available, else the average power integrated over time.
class RocmSmiBackend final : public GpuBackend {
 public:
  static std::unique_ptr<RocmSmiBackend> open(const std::string& library, std::string& reason);
  ~RocmSmiBackend() override;
  const char* source() const override { return "rocm-smi"; }
  const std::vector<GpuDevice>& devices() const override { return devices_; }
  std::optional<double> energy_j(unsigned device) override;
  std::optional<double> power_w(unsigned device) override;

 private:
  using Status = int;  // rsmi_status_t: 0 is RSMI_STATUS_SUCCESS
  explicit RocmSmiBackend(std::unique_ptr<SharedLibrary> library) : library_(std::move(library)) {}

  std::unique_ptr<SharedLibrary> library_;
  Status (*shut_down_)() = nullptr;
  Status (*energy_count_)(unsigned, unsigned long long*, float*, unsigned long long*) = nullptr;
  Status (*power_average_)(unsigned, unsigned, unsigned long long*) = nullptr;
  std::vector<GpuDevice> devices_;
};

}  // namespace erg
