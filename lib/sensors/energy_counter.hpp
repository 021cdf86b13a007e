#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace erg {

// Turns a raw hardware energy counter (RAPL energy_uj, hwmon, ...) that wraps at a known
// range into cumulative joules from 0. A read that failed, or a counter that went backwards
// by more than a wrap explains (a reset, a driver reload), gives NaN for that sample and
// never a zero or negative step; the counter is re-based so later samples continue.
class EnergyCounter {
 public:
  // range_raw: the counter's wrap modulus (max_energy_range_uj + 1); joules_per_raw: unit.
  // max_power_w: the most the counted domain can draw (0 when unknown), which bounds how
  // long the counter needs to wrap once.
  EnergyCounter(std::uint64_t range_raw, double joules_per_raw, double max_power_w = 0);

  // Returns the cumulative joules after this raw reading taken at time_s, or NaN when it
  // is missing.
  double update(std::optional<std::uint64_t> raw, double time_s);

  // How often a reading was rejected as a reset (the report says so).
  std::uint64_t resets() const { return resets_; }

  // Intervals between readings so long that the counter may have wrapped more than once in
  // them, which no reading can tell apart from one wrap: the energy may be undercounted.
  // The bound is the larger of max_power_w and the highest power seen so far.
  std::uint64_t ambiguous_intervals() const { return ambiguous_intervals_; }
  double longest_interval_s() const { return longest_interval_s_; }
  double wrap_time_s() const;  // the shortest time the counter needs to wrap once (inf if unknown)
  std::string ambiguity_note(const std::string& counter_name) const;  // "" when none

 private:
  std::uint64_t range_raw_;
  double joules_per_raw_;
  double max_power_w_;
  std::optional<std::uint64_t> last_raw_;
  double last_time_s_ = 0.0;
  double total_j_ = 0.0;
  double highest_power_w_ = 0.0;
  std::uint64_t resets_ = 0;
  std::uint64_t ambiguous_intervals_ = 0;
  double longest_interval_s_ = 0.0;
};

}  // namespace erg
