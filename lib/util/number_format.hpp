#pragma once
#include <string>

namespace erg {

// The one formatter of figures for everything a person reads: the text, Markdown and HTML
// reports, the SVG label, and every command's text output (JSON keeps full precision). The
// rules, the same everywhere, so that one figure reads the same in every output:
//  - never an exponent ("3.47e-05 kWh" is hard to read and to compare);
//  - three significant digits, trailing zeros kept ("1.00 kJ"): more would claim a precision
//    that the sensors and the factors do not have;
//  - an SI prefix chosen so that the mantissa lies in [1, 1000), after rounding (999.6 J is
//    "1.00 kJ", not "1000 J");
//  - whole numbers without a prefix (counts, or a figure of 1000 and more past the largest
//    prefix) in full, grouped by three with a space from 10 000 on ("9000", "90 000");
//  - NaN reads "n/a" and infinities "inf", never a crash or "nan J".

// 3 significant digits, no unit: 0.000123, 1.56, 12.3, 123, 1234, 12 346.
std::string format_number(double value);
// The same with `digits` significant digits (1 to 15), for figures that carry more, such as
// a model's accuracy.
std::string format_significant(double value, int digits);
// A model's metric (accuracy, time per image, ...): 4 significant digits, since labels compare
// models whose accuracies differ in the fourth (76.13 against 76.18).
std::string format_metric(double value);
// A whole number, rounded, grouped: 7, 9000, 76 180, 1 000 000 000.
std::string format_count(double count);

std::string format_energy(double energy_j);      // "274 nJ", "360 mJ", "143 J", "1.00 kJ", "4.50 MJ"
std::string format_energy_wh(double energy_j);   // from joules: "100 µWh", "40.0 mWh", "11.8 Wh", "3.20 kWh", "1.50 MWh"
// Both, the way the reports give energy: "42.5 kJ (11.8 Wh)".
std::string format_energy_j_wh(double energy_j);
std::string format_power_w(double power_w);      // "24.0 W", "350 mW", "1.20 kW"
std::string format_co2e(double co2e_g);          // "29.6 g", "1.23 kg", "4.00 t"
std::string format_duration_s(double time_s);    // "350 ms", "3.47 s", "2 min 05 s", "3 h 07 min", "2 d 04 h"
std::string format_percent(double share);        // 0.123 -> "12.3 %", 1 -> "100 %"
std::string format_intensity(double g_per_kwh);  // 380.95 -> "381 gCO2e/kWh"

// "2026-12-03T18:34:42.123Z" -> "2026-12-03 18:34:42 UTC"; text that is not such a time is
// returned as it is (a trace from elsewhere may hold anything).
std::string format_utc_time(const std::string& iso8601);

}  // namespace erg
