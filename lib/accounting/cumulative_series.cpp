#include "accounting/cumulative_series.hpp"

#include <algorithm>
#include <cmath>

namespace erg {

CumulativeSeries::CumulativeSeries(const std::vector<double>& time_s, const std::vector<double>& energy_j) {
  size_t n = std::min(time_s.size(), energy_j.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(energy_j[i]) || !std::isfinite(time_s[i])) continue;
    if (!time_s_.empty() && time_s[i] < time_s_.back()) continue;  // out of order: not trusted
    time_s_.push_back(time_s[i]);
    energy_j_.push_back(energy_j[i]);
  }
}

double CumulativeSeries::at(double t) const {
  if (empty()) return 0.0;
  if (t <= time_s_.front()) return energy_j_.front();
  if (t >= time_s_.back()) return energy_j_.back();
  auto it = std::upper_bound(time_s_.begin(), time_s_.end(), t);
  size_t hi = static_cast<size_t>(it - time_s_.begin()), lo = hi - 1;
  double span_s = time_s_[hi] - time_s_[lo];
  if (span_s <= 0) return energy_j_[hi];
  return energy_j_[lo] + (energy_j_[hi] - energy_j_[lo]) * (t - time_s_[lo]) / span_s;
}

}  // namespace erg
