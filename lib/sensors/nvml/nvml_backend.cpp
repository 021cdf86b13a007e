#include "sensors/nvml/nvml_backend.hpp"

namespace erg {

std::unique_ptr<NvmlBackend> NvmlBackend::open(const std::string& path, std::string& reason) {
  auto library = std::make_unique<SharedLibrary>(path);
  if (!library->loaded()) {
    reason = "no NVML: " + library->error();
    return nullptr;
  }
  auto init = library->symbol<Return (*)()>("nvmlInit_v2");
  auto count = library->symbol<Return (*)(unsigned*)>("nvmlDeviceGetCount_v2");
  auto handle = library->symbol<Return (*)(unsigned, Device*)>("nvmlDeviceGetHandleByIndex_v2");
  auto name = library->symbol<Return (*)(Device, char*, unsigned)>("nvmlDeviceGetName");
  auto uuid = library->symbol<Return (*)(Device, char*, unsigned)>("nvmlDeviceGetUUID");
  std::unique_ptr<NvmlBackend> nvml(new NvmlBackend(std::move(library)));
  nvml->shutdown_ = nvml->library_->symbol<Return (*)()>("nvmlShutdown");
  nvml->total_energy_ =
      nvml->library_->symbol<Return (*)(Device, unsigned long long*)>("nvmlDeviceGetTotalEnergyConsumption");
  nvml->power_usage_ = nvml->library_->symbol<Return (*)(Device, unsigned*)>("nvmlDeviceGetPowerUsage");
  if (!init || !count || !handle || !nvml->shutdown_ || !nvml->power_usage_) {
    reason = path + " lacks NVML functions erg needs";
    return nullptr;
  }
  if (Return rc = init(); rc != 0) {
    nvml->shutdown_ = nullptr;  // nothing to shut down
    reason = "nvmlInit failed (NVML error " + std::to_string(rc) + ")";
    return nullptr;
  }
  unsigned n = 0;
  if (count(&n) != 0) n = 0;
  for (unsigned i = 0; i < n; ++i) {
    Device device = nullptr;
    if (handle(i, &device) != 0) continue;
    GpuDevice d;
    d.index = i;
    char text[96] = {};
    if (name && name(device, text, sizeof text) == 0) d.name = text;
    char id[96] = {};
    if (uuid && uuid(device, id, sizeof id) == 0) d.uuid = id;
    unsigned long long mj = 0;
    // Volta and newer have the counter; older ones answer NOT_SUPPORTED and are integrated.
    d.has_energy_counter = nvml->total_energy_ && nvml->total_energy_(device, &mj) == 0;
    nvml->handles_.push_back(device);
    nvml->devices_.push_back(d);
  }
  if (nvml->devices_.empty()) {
    reason = "NVML sees no GPU";
    return nullptr;
  }
  return nvml;
}

NvmlBackend::~NvmlBackend() {
  if (shutdown_) shutdown_();
}

std::optional<double> NvmlBackend::energy_j(unsigned device) {
  for (size_t i = 0; i < devices_.size(); ++i) {
    if (devices_[i].index != device) continue;
    unsigned long long mj = 0;
    if (total_energy_ && total_energy_(handles_[i], &mj) == 0) return static_cast<double>(mj) * 1e-3;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<double> NvmlBackend::power_w(unsigned device) {
  for (size_t i = 0; i < devices_.size(); ++i) {
    if (devices_[i].index != device) continue;
    unsigned mw = 0;
    if (power_usage_(handles_[i], &mw) == 0) return static_cast<double>(mw) * 1e-3;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace erg
