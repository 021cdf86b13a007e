#include "util/number_format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <iterator>

namespace erg {

namespace {

constexpr double joules_per_wh = 3600;
constexpr double grams_per_tonne = 1e6;

// "n/a", "inf", "-inf": what a figure that is not a finite number reads, in every output.
std::string not_finite(double value) { return std::isnan(value) ? "n/a" : value > 0 ? "inf" : "-inf"; }

// Digits grouped by three with a space, from five digits on ("9000", "12 345"); the
// fraction, if any, is left as it is.
std::string grouped(const std::string& text) {
  size_t begin = text.empty() || text[0] != '-' ? 0 : 1;
  size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  if (end - begin < 5) return text;
  std::string out = text.substr(0, begin);
  for (size_t i = begin; i < end; ++i) {
    out += text[i];
    size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ' ';
  }
  return out + text.substr(end);
}

// The value rounded to `digits` significant digits, and the decimal exponent of the rounded
// value (9.996 at 3 digits is 10.0, exponent 1), both from one printf so that they agree.
struct Rounded {
  double value;
  int exponent;
};
Rounded round_significant(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
  const char* e = std::strchr(buffer, 'e');
  return {std::strtod(buffer, nullptr), e ? std::atoi(e + 1) : 0};
}

struct Prefix {
  int exponent;
  const char* symbol;
};
constexpr Prefix prefixes[] = {{-9, "n"}, {-6, "\u00b5"}, {-3, "m"}, {0, ""},  {3, "k"},
                               {6, "M"},  {9, "G"},       {12, "T"}, {15, "P"}};

// The value with the SI prefix between min_exponent and max_exponent that puts the rounded
// mantissa in [1, 1000); below the smallest prefix the mantissa is a fraction, above the
// largest a whole number, never an exponent.
std::string format_si(double value, const char* unit, int min_exponent, int max_exponent) {
  if (!std::isfinite(value)) return std::isnan(value) ? not_finite(value) : not_finite(value) + " " + unit;
  if (value == 0) return std::string("0 ") + unit;
  Rounded rounded = round_significant(value, 3);
  int exponent = std::clamp(static_cast<int>(std::floor(rounded.exponent / 3.0)) * 3, min_exponent, max_exponent);
  const Prefix* prefix =
      std::find_if(std::begin(prefixes), std::end(prefixes), [&](const Prefix& p) { return p.exponent == exponent; });
  return format_number(value / std::pow(10.0, exponent)) + " " + prefix->symbol + unit;
}

}  // namespace

std::string format_significant(double value, int digits) {
  if (!std::isfinite(value)) return not_finite(value);
  if (value == 0) return "0";
  digits = std::clamp(digits, 1, 15);
  Rounded rounded = round_significant(value, digits);
  int decimals = digits - 1 - rounded.exponent;
  if (decimals < 0) return format_count(value);  // a whole number: all its digits mean something
  char buffer[400];  // the smallest double has 324 decimals
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, rounded.value);
  return grouped(buffer);
}

std::string format_number(double value) { return format_significant(value, 3); }

std::string format_metric(double value) { return format_significant(value, 4); }

std::string format_count(double count) {
  if (!std::isfinite(count)) return not_finite(count);
  double whole = std::round(count);
  if (whole == 0) return "0";  // never "-0"
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.0f", whole);
  return grouped(buffer);
}

std::string format_energy(double energy_j) { return format_si(energy_j, "J", -9, 15); }

std::string format_energy_wh(double energy_j) { return format_si(energy_j / joules_per_wh, "Wh", -6, 12); }

std::string format_energy_j_wh(double energy_j) {
  if (std::isnan(energy_j)) return not_finite(energy_j);
  return format_energy(energy_j) + " (" + format_energy_wh(energy_j) + ")";
}

std::string format_power_w(double power_w) { return format_si(power_w, "W", -6, 9); }

std::string format_co2e(double co2e_g) {
  // Tonnes, not megagrams, from a million grams (after rounding: 999 999.6 g is 1.00 t).
  if (std::isfinite(co2e_g) && std::fabs(round_significant(co2e_g, 3).value) >= grams_per_tonne)
    return format_si(co2e_g / grams_per_tonne, "t", 0, 6);
  return format_si(co2e_g, "g", -6, 3);
}

std::string format_duration_s(double time_s) {
  if (!std::isfinite(time_s)) return std::isnan(time_s) ? not_finite(time_s) : not_finite(time_s) + " s";
  // Under a minute in seconds (with ms, µs); longer ones in the units a reader counts in.
  if (std::fabs(round_significant(time_s, 3).value) < 60) return format_si(time_s, "s", -9, 0);
  const char* sign = time_s < 0 ? "-" : "";
  const double magnitude_s = std::fabs(time_s);
  if (magnitude_s > 1e12) return format_count(time_s) + " s";  // some 30 000 years: no calendar helps
  const long long seconds = std::llround(magnitude_s), minutes = std::llround(magnitude_s / 60),
                  hours = std::llround(magnitude_s / 3600);
  char buffer[64];
  if (seconds < 3600)
    std::snprintf(buffer, sizeof buffer, "%s%lld min %02lld s", sign, seconds / 60, seconds % 60);
  else if (minutes < 24 * 60)
    std::snprintf(buffer, sizeof buffer, "%s%lld h %02lld min", sign, minutes / 60, minutes % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%s%lld d %02lld h", sign, hours / 24, hours % 24);
  return buffer;
}

std::string format_percent(double share) {
  if (std::isnan(share)) return not_finite(share);
  return format_number(100 * share) + " %";
}

std::string format_intensity(double g_per_kwh) {
  if (std::isnan(g_per_kwh)) return not_finite(g_per_kwh);
  return format_number(g_per_kwh) + " gCO2e/kWh";
}

std::string format_utc_time(const std::string& iso8601) {
  const std::string& s = iso8601;
  auto digits_at = [&](std::initializer_list<size_t> positions) {
    return std::all_of(positions.begin(), positions.end(),
                       [&](size_t i) { return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); });
  };
  if (s.size() < 19 || !digits_at({0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return iso8601;
  size_t rest = 19;
  if (rest < s.size() && s[rest] == '.') {  // fractions of a second: more than a reader needs
    ++rest;
    while (rest < s.size() && std::isdigit(static_cast<unsigned char>(s[rest]))) ++rest;
  }
  const std::string zone = s.substr(rest);
  if (zone != "Z" && zone != "+00:00" && zone != " UTC") return iso8601;  // another zone: say it as it is
  return s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
}

}  // namespace erg
