#include "sensors/energy_counter.hpp"

#include <cmath>
#include <limits>

namespace erg {

EnergyCounter::EnergyCounter(std::uint64_t range_raw, double joules_per_raw)
    : range_raw_(range_raw), joules_per_raw_(joules_per_raw) {}

double EnergyCounter::update(std::optional<std::uint64_t> raw) {
  constexpr double missing = std::numeric_limits<double>::quiet_NaN();
  if (!raw) return missing;
  if (!last_raw_) {  // first reading: the origin of the cumulative counter
    last_raw_ = raw;
    return total_j_;
  }
  std::uint64_t delta_raw;
  if (*raw >= *last_raw_) {
    delta_raw = *raw - *last_raw_;
  } else {
    // Smaller than before: a wrap if the counter was near its top and is now near 0.
    // A step that would need more than half the range is a reset, not a wrap.
    std::uint64_t wrapped = (range_raw_ - *last_raw_) + *raw;
    if (range_raw_ == 0 || *last_raw_ >= range_raw_ || wrapped > range_raw_ / 2) {
      last_raw_ = raw;
      ++resets_;
      return missing;
    }
    delta_raw = wrapped;
  }
  last_raw_ = raw;
  total_j_ += static_cast<double>(delta_raw) * joules_per_raw_;
  return total_j_;
}

}  // namespace erg
