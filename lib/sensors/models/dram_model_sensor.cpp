#include "sensors/models/dram_model_sensor.hpp"

#include <algorithm>

#include "util/number_format.hpp"

namespace erg {

DramModelSensor::DramModelSensor(double w_per_gb, std::shared_ptr<ProcessTree> tree)
    : w_per_gb_(w_per_gb), tree_(std::move(tree)) {
  domains_.push_back(
      {"dram", "model", format_power_w(w_per_gb_) + "/GB x resident memory of the job", {}, Measurement::model});
}

void DramModelSensor::read(double time_s, std::span<double> energy_j) {
  double power_w = w_per_gb_ * tree_->usage_at(time_s).rss_bytes / 1e9;
  if (started_) energy_j_ += 0.5 * (power_w + last_power_w_) * std::max(time_s - last_time_s_, 0.0);
  started_ = true;
  last_time_s_ = time_s;
  last_power_w_ = power_w;
  energy_j[0] = energy_j_;
}

}  // namespace erg
