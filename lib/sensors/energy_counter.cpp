#include "sensors/energy_counter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace erg {

EnergyCounter::EnergyCounter(std::uint64_t range_raw, double joules_per_raw, double max_power_w)
    : range_raw_(range_raw), joules_per_raw_(joules_per_raw), max_power_w_(max_power_w) {}

double EnergyCounter::wrap_time_s() const {
  double power_w = std::max(max_power_w_, highest_power_w_);
  if (power_w <= 0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(range_raw_) * joules_per_raw_ / power_w;
}

std::string EnergyCounter::ambiguity_note(const std::string& counter_name) const {
  if (!ambiguous_intervals_) return "";
  char text[400];
  std::snprintf(text, sizeof text,
                "%s: %llu interval(s) between samples, up to %.3g s, as long as or longer than the counter's "
                "wrap time (%.3g s at %.3g W): it may have wrapped more than once, which no reading shows, so "
                "energy may be undercounted; the interval is too long for this counter",
                counter_name.c_str(), static_cast<unsigned long long>(ambiguous_intervals_), longest_interval_s_,
                wrap_time_s(), std::max(max_power_w_, highest_power_w_));
  return text;
}

double EnergyCounter::update(std::optional<std::uint64_t> raw, double time_s) {
  constexpr double missing = std::numeric_limits<double>::quiet_NaN();
  if (!raw) return missing;
  if (!last_raw_) {  // first reading: the origin of the cumulative counter
    last_raw_ = raw;
    last_time_s_ = time_s;
    return total_j_;
  }
  const double interval_s = time_s - last_time_s_;
  last_time_s_ = time_s;
  // Judged before this interval's own power counts: aliasing can make it look small.
  if (interval_s >= wrap_time_s()) {
    ++ambiguous_intervals_;
    longest_interval_s_ = std::max(longest_interval_s_, interval_s);
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
  const double delta_j = static_cast<double>(delta_raw) * joules_per_raw_;
  // Over shorter intervals the counter's own update steps (about 1 ms for RAPL) would read as spikes.
  constexpr double min_power_interval_s = 0.1;
  if (interval_s >= min_power_interval_s) highest_power_w_ = std::max(highest_power_w_, delta_j / interval_s);
  total_j_ += delta_j;
  return total_j_;
}

}  // namespace erg
