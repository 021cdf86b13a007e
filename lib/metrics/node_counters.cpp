#include "metrics/node_counters.hpp"

#include <cmath>

#include "util/monotonic_clock.hpp"

namespace erg::metrics {

NodeCounters::NodeCounters(std::string node, NodeSensors sensors, double interval_s)
    : node_(std::move(node)), sampler_(std::move(sensors), interval_s, monotonic_now_s()) {
  last_j_.assign(sampler_.domains().size(), NAN);
  power_w_.assign(sampler_.domains().size(), NAN);
  sampler_.start();
}

NodeReading NodeCounters::read() {
  const std::size_t width = sampler_.row_width();
  rows_.assign(previous_row_.begin(), previous_row_.end());
  sampler_.take_samples(rows_);
  const std::size_t n = rows_.size() / width;
  for (std::size_t d = 0; d < sampler_.domains().size(); ++d) {
    for (std::size_t r = 0; r < n; ++r)
      if (std::isfinite(rows_[r * width + 1 + d])) last_j_[d] = rows_[r * width + 1 + d];
    if (n >= 2) {
      const double* last = &rows_[(n - 1) * width];
      const double* before = &rows_[(n - 2) * width];
      const double interval_s = last[0] - before[0];
      power_w_[d] = interval_s > 0 ? (last[1 + d] - before[1 + d]) / interval_s : NAN;  // NaN when a read failed
    }
  }
  if (n >= 1) previous_row_.assign(rows_.end() - static_cast<std::ptrdiff_t>(width), rows_.end());

  NodeReading reading;
  reading.node = node_;
  for (std::size_t d = 0; d < sampler_.domains().size(); ++d) {
    const std::string& name = sampler_.domains()[d].name;
    if (std::isfinite(last_j_[d])) reading.energy_j.push_back({name, last_j_[d]});
    if (std::isfinite(power_w_[d])) reading.power_w.push_back({name, power_w_[d]});
  }
  return reading;
}

}  // namespace erg::metrics
