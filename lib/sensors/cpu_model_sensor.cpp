#include "sensors/cpu_model_sensor.hpp"

#include <algorithm>

namespace erg {

CpuModelSensor::CpuModelSensor(CpuTdp tdp, std::shared_ptr<ProcessTree> tree)
    : tdp_(std::move(tdp)), tree_(std::move(tree)) {
  domains_.push_back({"cpu", "model", "TDP " + std::to_string(tdp_.tdp_w) + " W x CPU share; " + tdp_.source});
}

// The energy moves only with a new procfs read (at most every ProcessTree::min_reread_s), by
// the share over the whole time since the previous one: a step that is exact at each read.
void CpuModelSensor::read(double time_s, std::span<double> energy_j) {
  const auto& usage = tree_->usage_at(time_s);
  energy_j[0] = energy_j_;
  if (started_ && usage.read_at_s == last_time_s_) return;
  if (started_) {
    double system_ticks = usage.system_cpu_ticks - last_system_ticks_;
    double job_ticks = usage.job_cpu_ticks - last_job_ticks_;
    double share = system_ticks > 0 ? std::clamp(job_ticks / system_ticks, 0.0, 1.0) : 0.0;
    energy_j_ += tdp_.tdp_w * share * std::max(usage.read_at_s - last_time_s_, 0.0);
  }
  started_ = true;
  last_time_s_ = usage.read_at_s;
  last_job_ticks_ = usage.job_cpu_ticks;
  last_system_ticks_ = usage.system_cpu_ticks;
  energy_j[0] = energy_j_;
}

}  // namespace erg
