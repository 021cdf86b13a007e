#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sensors/gpu/gpu_backend.hpp"

namespace erg {

// The GPUs a job may use: by index or UUID, from the first of the variables that is set
// (CUDA_VISIBLE_DEVICES for NVIDIA, ROCR_VISIBLE_DEVICES or HIP_VISIBLE_DEVICES for AMD,
// then SLURM_JOB_GPUS); none set means all of the node's GPUs.
struct GpuSelection {
  bool all = true;
  std::vector<std::string> ids;  // indices ("0") or UUIDs ("GPU-8f3a...")
  std::string from;              // the variable it came from
  bool includes(const GpuDevice& device) const;
};

enum class GpuVendor { nvidia, amd };

using EnvironmentLookup = std::function<const char*(const char*)>;
GpuSelection gpu_selection(GpuVendor vendor, const EnvironmentLookup& lookup);

// The union over the ranks of a node: each may see other GPUs; each GPU is counted once.
GpuSelection merge(const std::vector<GpuSelection>& selections);

}  // namespace erg
