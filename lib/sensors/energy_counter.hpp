#pragma once
#include <cstdint>
#include <optional>

namespace erg {

// Turns a raw hardware energy counter (RAPL energy_uj, hwmon, ...) that wraps at a known
// range into cumulative joules from 0. A read that failed, or a counter that went backwards
// by more than a wrap explains (a reset, a driver reload), gives NaN for that sample and
// never a zero or negative step; the counter is re-based so later samples continue.
class EnergyCounter {
 public:
  // range_raw: the counter's wrap modulus (max_energy_range_uj + 1); joules_per_raw: unit.
  EnergyCounter(std::uint64_t range_raw, double joules_per_raw);

  // Returns the cumulative joules after this raw reading, or NaN when it is missing.
  double update(std::optional<std::uint64_t> raw);

  // How often a reading was rejected as a reset (the report says so).
  std::uint64_t resets() const { return resets_; }

 private:
  std::uint64_t range_raw_;
  double joules_per_raw_;
  std::optional<std::uint64_t> last_raw_;
  double total_j_ = 0.0;
  std::uint64_t resets_ = 0;
};

}  // namespace erg
