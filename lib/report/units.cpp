#include "report/units.hpp"

#include <cmath>
#include <cstdio>

#include "accounting/job_account.hpp"

namespace erg {

std::string format_number(double value, const char* pattern) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string format_kwh(double energy_j) { return format_number(energy_j / joules_per_kwh) + " kWh"; }

namespace {

std::string joules_only(double energy_j) {
  double magnitude = std::fabs(energy_j);
  return magnitude >= 1e6   ? format_number(energy_j / 1e6, "%.4g MJ")
         : magnitude >= 1e3 ? format_number(energy_j / 1e3, "%.4g kJ")
                            : format_number(energy_j, "%.4g J");
}

}  // namespace

std::string format_joules(double energy_j) { return joules_only(energy_j) + " (" + format_kwh(energy_j) + ")"; }

std::string format_energy_short(double energy_j) {
  double kwh = energy_j / joules_per_kwh;
  if (std::fabs(kwh) >= 1000) return format_number(kwh / 1000, "%.4g MWh");
  if (std::fabs(kwh) >= 0.01) return format_number(kwh, "%.4g kWh");
  return joules_only(energy_j);
}

std::string format_co2e(double co2e_g) {
  return std::fabs(co2e_g) >= 1000 ? format_number(co2e_g / 1000, "%.4g kg") : format_number(co2e_g, "%.4g g");
}

std::string format_percent(double share) { return format_number(100 * share, "%.3g %%"); }

}  // namespace erg
