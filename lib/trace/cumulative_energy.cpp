#include "trace/cumulative_energy.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

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

std::optional<EnergyDamage> find_energy_damage(const std::vector<double>& energy_j) {
  std::optional<double> last_j;
  for (std::size_t i = 0; i < energy_j.size(); ++i) {
    const double value_j = energy_j[i];
    std::ostringstream why;
    why.precision(17);
    if (!is_plausible_energy(value_j)) {
      why << "is " << value_j << " J, not a reading (at most " << std::setprecision(6) << max_domain_energy_j << " J)";
      return EnergyDamage{i, why.str()};
    }
    if (std::isnan(value_j)) continue;
    if (last_j && energy_decreases(*last_j, value_j)) {
      why << "goes down from " << *last_j << " J to " << value_j << " J, and cumulative joules never decrease";
      return EnergyDamage{i, why.str()};
    }
    last_j = value_j;
  }
  return std::nullopt;
}

}  // namespace erg
