#include "trace/cumulative_energy.hpp"

#include <charconv>
#include <cmath>

namespace erg {

bool is_plausible_energy(double energy_j) {
  return std::isnan(energy_j) || (std::isfinite(energy_j) && std::fabs(energy_j) <= max_domain_energy_j);
}

bool energy_decreases(double previous_j, double next_j) {
  // Sums of non-negative steps never go down in floating point either; the slack only keeps
  // a value that went through a text or another tool's float conversion.
  const double tolerance_j = 1e-9 + 1e-12 * std::fabs(previous_j);
  return next_j < previous_j - tolerance_j;
}

namespace {

// The shortest text that reads back as the same number: 1.7e+308, not 1.6999999999999999e+308.
std::string joules(double energy_j) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, energy_j);
  return (error == std::errc() ? std::string(text, end) : std::string("?")) + " J";
}

}  // namespace

std::optional<EnergyDamage> find_energy_damage(const std::vector<double>& energy_j) {
  std::optional<double> last_j;
  for (std::size_t i = 0; i < energy_j.size(); ++i) {
    const double value_j = energy_j[i];
    if (!is_plausible_energy(value_j))
      return EnergyDamage{i, "is " + joules(value_j) + ", not a reading (at most " + joules(max_domain_energy_j) + ")"};
    if (std::isnan(value_j)) continue;
    if (last_j && energy_decreases(*last_j, value_j))
      return EnergyDamage{i, "goes down from " + joules(*last_j) + " to " + joules(value_j) +
                                 ", and cumulative joules never decrease"};
    last_j = value_j;
  }
  return std::nullopt;
}

}  // namespace erg
