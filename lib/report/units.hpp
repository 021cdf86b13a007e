#pragma once
#include <string>

namespace erg {

// Figures as a reader wants them: joules and kWh with sensible precision, grams or kilograms.
std::string format_number(double value, const char* pattern = "%.4g");
std::string format_joules(double energy_j);     // "143.8 J (3.995e-05 kWh)"
std::string format_kwh(double energy_j);        // "0.0399 kWh" or "3.995e-05 kWh"
std::string format_energy_short(double energy_j);  // "108.3 J", "45.2 kJ", "12.5 kWh", "3.2 MWh"
std::string format_co2e(double co2e_g);         // "29.6 g" or "1.23 kg"
std::string format_percent(double share);       // 0.123 -> "12.3 %"

}  // namespace erg
