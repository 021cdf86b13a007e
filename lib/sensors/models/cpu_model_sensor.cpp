#include "sensors/models/cpu_model_sensor.hpp"

#include <unistd.h>

#include <algorithm>

#include "util/number_format.hpp"

namespace erg {

CpuModelSensor::CpuModelSensor(CpuTdp tdp, std::shared_ptr<ProcessTree> tree)
    : tdp_(std::move(tdp)), tree_(std::move(tree)), ticks_per_s_(static_cast<double>(sysconf(_SC_CLK_TCK))) {
  // A model reads no file: its "path" says how it computes (the trace keeps it under that name).
  domains_.push_back(
      {"cpu", "model", "TDP " + format_power_w(tdp_.tdp_w) + " x CPU share; " + tdp_.source, {}, Measurement::model});
}

// The energy moves only with a new procfs read (at most every ProcessTree::min_reread_s):
// between reads there are no new ticks and the cap stands still, so it is a step that is
// exact at each read.
void CpuModelSensor::read(double time_s, std::span<double> energy_j) {
  const auto& usage = tree_->usage_at(time_s);
  if (started_) {
    double job_cpu_s = std::max(usage.job_cpu_ticks - last_job_ticks_, 0.0) / ticks_per_s_;
    uncapped_j_ += watts_per_logical_cpu(tdp_.tdp_w, tdp_.logical_cpus) * job_cpu_s;
    // The cap is on the totals, both never decreasing: procfs counts in whole ticks, so one
    // read may see more CPU time than the node had since the last one, and the next less.
    energy_j_ = std::min(uncapped_j_, tdp_.tdp_w * std::max(usage.read_at_s - first_time_s_, 0.0));
  } else {
    first_time_s_ = usage.read_at_s;
  }
  started_ = true;
  last_job_ticks_ = usage.job_cpu_ticks;
  energy_j[0] = energy_j_;
}

std::vector<std::string> CpuModelSensor::notes() const {
  if (tree_->unreadable_count() == 0) return {};
  return {"the job's processes could not be read from procfs " + std::to_string(tree_->unreadable_count()) +
          " times (" + tree_->unreadable_reason() + "): the cpu and dram models miss what those reads would have counted"};
}

}  // namespace erg
