#pragma once
#include <string>

namespace erg {

// The thermal design power of this node's CPUs, for the CPU model when RAPL is unavailable.
struct CpuTdp {
  std::string model_name;  // from /proc/cpuinfo
  int sockets = 1;
  int logical_cpus = 1;
  double tdp_w = 0;        // the whole node: per-socket TDP x sockets, or per-core default x CPUs
  std::string source;      // which table row, or the default, the figure comes from
};

// What one logical CPU busy for a second costs at TDP: the CPU model's rate for the job's
// CPU time, and the report's for the sampler's own. 0 where the CPU count is unknown.
inline double watts_per_logical_cpu(double tdp_w, int logical_cpus) {
  return logical_cpus > 0 ? tdp_w / logical_cpus : 0.0;
}

// Green Algorithms v3.0 (CC BY 4.0): 12 W per core for a CPU not in any table ("Any").
constexpr double default_core_tdp_w = 12.0;

// Matches the model name against data/hardware/cpu_tdp_codecarbon.csv, then
// data/hardware/green_algorithms_tdp_cpu.csv; a row matches when every word of its name
// (one of them a model number) is in the model name, and the longest such row wins.
CpuTdp lookup_cpu_tdp(const std::string& data_dir, const std::string& cpuinfo_path = "/proc/cpuinfo");

}  // namespace erg
