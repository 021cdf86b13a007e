#include "sensors/rocm_smi/rocm_smi_backend.hpp"

#include <cstdio>

namespace erg {

std::unique_ptr<RocmSmiBackend> RocmSmiBackend::open(const std::string& path, std::string& reason) {
  auto library = std::make_unique<SharedLibrary>(path);
  if (!library->loaded()) {
    reason = "no ROCm SMI: " + library->error();
    return nullptr;
  }
  auto init = library->symbol<Status (*)(unsigned long long)>("rsmi_init");
  auto count = library->symbol<Status (*)(unsigned*)>("rsmi_num_monitor_devices");
  auto name = library->symbol<Status (*)(unsigned, char*, size_t)>("rsmi_dev_name_get");
  auto unique_id = library->symbol<Status (*)(unsigned, unsigned long long*)>("rsmi_dev_unique_id_get");
  std::unique_ptr<RocmSmiBackend> smi(new RocmSmiBackend(std::move(library)));
  smi->shut_down_ = smi->library_->symbol<Status (*)()>("rsmi_shut_down");
  smi->energy_count_ = smi->library_->symbol<Status (*)(unsigned, unsigned long long*, float*, unsigned long long*)>(
      "rsmi_dev_energy_count_get");
  smi->power_average_ = smi->library_->symbol<Status (*)(unsigned, unsigned, unsigned long long*)>("rsmi_dev_power_ave_get");
  if (!init || !count || !smi->shut_down_ || !smi->power_average_) {
    reason = path + " lacks ROCm SMI functions erg needs";
    return nullptr;
  }
  if (Status rc = init(0); rc != 0) {
    smi->shut_down_ = nullptr;
    reason = "rsmi_init failed (status " + std::to_string(rc) + ")";
    return nullptr;
  }
  unsigned n = 0;
  if (count(&n) != 0) n = 0;
  for (unsigned i = 0; i < n; ++i) {
    GpuDevice d;
    d.index = i;
    char text[96] = {};
    if (name && name(i, text, sizeof text) == 0) d.name = text;
    unsigned long long id = 0;
    if (unique_id && unique_id(i, &id) == 0) {
      char hex[32];
      std::snprintf(hex, sizeof hex, "0x%llx", id);
      d.uuid = hex;
    }
    unsigned long long counter = 0, timestamp = 0;
    float resolution = 0;
    d.has_energy_counter = smi->energy_count_ && smi->energy_count_(i, &counter, &resolution, &timestamp) == 0;
    smi->devices_.push_back(d);
  }
  if (smi->devices_.empty()) {
    reason = "ROCm SMI sees no GPU";
    return nullptr;
  }
  return smi;
}

RocmSmiBackend::~RocmSmiBackend() {
  if (shut_down_) shut_down_();
}

std::optional<double> RocmSmiBackend::energy_j(unsigned device) {
  unsigned long long counter = 0, timestamp = 0;
  float resolution_uj = 0;
  if (!energy_count_ || energy_count_(device, &counter, &resolution_uj, &timestamp) != 0) return std::nullopt;
  return static_cast<double>(counter) * static_cast<double>(resolution_uj) * 1e-6;
}

std::optional<double> RocmSmiBackend::power_w(unsigned device) {
  unsigned long long microwatts = 0;
  if (power_average_(device, 0, &microwatts) != 0) return std::nullopt;
  return static_cast<double>(microwatts) * 1e-6;
}

}  // namespace erg
