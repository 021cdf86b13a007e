#include "sensors/gpu/gpu_visibility.hpp"

#include <algorithm>
#include <sstream>

namespace erg {

bool GpuSelection::includes(const GpuDevice& device) const {
  if (all) return true;
  return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
    if (id == std::to_string(device.index)) return true;
    // CUDA accepts a UUID or any unique prefix of it.
    return !device.uuid.empty() && id.size() >= 5 && device.uuid.compare(0, id.size(), id) == 0;
  });
}

GpuSelection gpu_selection(GpuVendor vendor, const EnvironmentLookup& lookup) {
  std::vector<const char*> variables = vendor == GpuVendor::nvidia
                                           ? std::vector<const char*>{"CUDA_VISIBLE_DEVICES", "SLURM_JOB_GPUS"}
                                           : std::vector<const char*>{"ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
                                                                      "SLURM_JOB_GPUS"};
  for (const char* variable : variables) {
    const char* value = lookup(variable);
    if (!value) continue;
    GpuSelection selection;
    selection.all = false;
    selection.from = variable;
    std::stringstream in(value);
    for (std::string id; std::getline(in, id, ',');)
      if (!id.empty()) selection.ids.push_back(id);
    return selection;
  }
  return {};
}

GpuSelection merge(const std::vector<GpuSelection>& selections) {
  GpuSelection merged;
  if (selections.empty()) return merged;
  merged.all = false;
  for (const auto& s : selections) {
    if (s.all) return GpuSelection{};
    merged.from = s.from;
    for (const auto& id : s.ids)
      if (std::find(merged.ids.begin(), merged.ids.end(), id) == merged.ids.end()) merged.ids.push_back(id);
  }
  return merged;
}

}  // namespace erg
