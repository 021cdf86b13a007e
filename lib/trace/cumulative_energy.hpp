#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace erg {

// What a domain's cumulative joules may hold, in a trace and in a spool. Counters only count
// up (sensors undo wrap-around and resets), so a value below an earlier one, or one no node
// could reach, is damage: read as it is, it would be reported as negative or absurd energy.

// 1 PJ (278 GWh): a 1 MW node for 30 years. Above it a value is no reading.
inline constexpr double max_domain_energy_j = 1e15;

// NaN (a failed read: missing data), or a finite value within +-max_domain_energy_j joules.
bool is_plausible_energy(double energy_j);

// Whether next_j is below previous_j by more than rounding explains (both plausible, not NaN).
bool energy_decreases(double previous_j, double next_j);

struct EnergyDamage {
  std::size_t sample;
  std::string why;  // "is inf J", "goes down from 10 J to 5 J"
};

// The first sample at which a series stops being cumulative joules: a value that is not
// plausible, or one below the last value before it that is not NaN.
std::optional<EnergyDamage> find_energy_damage(const std::vector<double>& energy_j);

}  // namespace erg
