#include "util/number_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace erg {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

using Formatter = std::string (*)(double);
using Cases = std::vector<std::pair<double, std::string>>;

// Each value as the formatter must write it.
void expect_all(Formatter format, const Cases& cases) {
  for (const auto& [value, expected] : cases) EXPECT_EQ(format(value), expected) << "from " << value;
}

bool has_exponent(const std::string& text) {
  for (size_t i = 1; i + 1 < text.size(); ++i)
    if ((text[i] == 'e' || text[i] == 'E') && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
        (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '-' || text[i + 1] == '+'))
      return true;
  return false;
}

TEST(NumberFormat, ThreeSignificantDigitsWithoutExponent) {
  expect_all(format_number, {{1.56, "1.56"},
                             {1.2, "1.20"},
                             {12.345, "12.3"},
                             {380.95, "381"},
                             {0.000123456, "0.000123"},
                             {9.996, "10.0"},  // rounding adds a digit: still three
                             {0.0, "0"},
                             {-0.0, "0"},
                             {-12.345, "-12.3"}});
  EXPECT_EQ(format_significant(0.91337, 4), "0.9134");
  EXPECT_EQ(format_metric(76.1349), "76.13");
  for (double x : {1e-300, 3.47e-5, 9e4, 7.618e4, 1e20, -1e-12, 1.7e308})
    EXPECT_FALSE(has_exponent(format_number(x))) << x << " -> " << format_number(x);
}

TEST(NumberFormat, WholeNumbersPrintInFullGroupedFromTenThousand) {
  expect_all(format_number, {{1234, "1234"}, {12345.6, "12 346"}});
  expect_all(format_count, {{7, "7"},
                            {9000, "9000"},
                            {90000, "90 000"},
                            {76180, "76 180"},
                            {1e9, "1 000 000 000"},
                            {-123456, "-123 456"},
                            {2500.4, "2500"},
                            {-0.2, "0"}});
  EXPECT_FALSE(has_exponent(format_count(1e30)));
}

TEST(NumberFormat, EnergyPrefixesAtTheirBoundaries) {
  expect_all(format_energy, {{999.4, "999 J"},
                             {999.5, "1.00 kJ"},  // not "1000 J"
                             {1000, "1.00 kJ"},
                             {143.8, "144 J"},
                             {42500, "42.5 kJ"},
                             {999.6e3, "1.00 MJ"},
                             {4.5e6, "4.50 MJ"},
                             {2e9, "2.00 GJ"},
                             {0.9996, "1.00 J"},
                             {0.36, "360 mJ"},
                             {2.74e-7, "274 nJ"},
                             {0, "0 J"},
                             {-1500, "-1.50 kJ"},
                             {-0.002, "-2.00 mJ"}});
}

TEST(NumberFormat, WattHours) {
  expect_all(format_energy_wh, {{3.6e6, "1.00 kWh"},
                                {42500, "11.8 Wh"},
                                {3599.9, "1.00 Wh"},  // not "1000 mWh"
                                {3.6e6 * 999.5, "1.00 MWh"},
                                {3.6e6 * 2.5e6, "2.50 GWh"},
                                // A tiny job: 1e-7 kWh is 0.36 J, in µWh, no exponent.
                                {1e-7 * 3.6e6, "100 \u00b5Wh"},
                                // The report of issue 15: "3.47e-05 kWh".
                                {3.47e-5 * 3.6e6, "34.7 mWh"},
                                {0, "0 Wh"}});
  EXPECT_EQ(format_energy_j_wh(42500), "42.5 kJ (11.8 Wh)");
}

TEST(NumberFormat, NotFiniteNeverCrashes) {
  for (auto* f : {&format_energy, &format_energy_wh, &format_energy_j_wh, &format_power_w, &format_co2e,
                  &format_duration_s, &format_percent, &format_intensity, &format_number, &format_count}) {
    EXPECT_EQ(f(nan), "n/a");
    EXPECT_NE(f(inf).find("inf"), std::string::npos);
    EXPECT_NE(f(-inf).find("-inf"), std::string::npos);
  }
}

TEST(NumberFormat, OtherUnits) {
  expect_all(format_power_w, {{24, "24.0 W"}, {0.35, "350 mW"}, {1200, "1.20 kW"}});
  expect_all(format_co2e, {{29.6, "29.6 g"},
                           {1234, "1.23 kg"},
                           {999.6, "1.00 kg"},
                           {999999.6, "1.00 t"},
                           {4e6, "4.00 t"},
                           {0.0123, "12.3 mg"},
                           {0, "0 g"}});
  expect_all(format_percent, {{0.123, "12.3 %"}, {1, "100 %"}, {0.000012345, "0.00123 %"}, {0, "0 %"}});
  expect_all(format_intensity, {{380.95, "381 gCO2e/kWh"}, {731.59, "732 gCO2e/kWh"}, {12.345, "12.3 gCO2e/kWh"}});
}

TEST(NumberFormat, Durations) {
  expect_all(format_duration_s, {{0, "0 s"},
                                 {0.35, "350 ms"},
                                 {3.4712, "3.47 s"},
                                 {59.94, "59.9 s"},
                                 {59.96, "1 min 00 s"},
                                 {125, "2 min 05 s"},
                                 {3599.6, "1 h 00 min"},
                                 {3 * 3600 + 7 * 60 + 10, "3 h 07 min"},
                                 {2 * 86400 + 4 * 3600, "2 d 04 h"},
                                 {-125, "-2 min 05 s"}});
  EXPECT_FALSE(has_exponent(format_duration_s(1e300)));
}

TEST(NumberFormat, UtcTimes) {
  EXPECT_EQ(format_utc_time("2026-12-03T18:34:42.123Z"), "2026-12-03 18:34:42 UTC");
  EXPECT_EQ(format_utc_time("2026-12-03T18:34:42Z"), "2026-12-03 18:34:42 UTC");
  EXPECT_EQ(format_utc_time("2026-12-03T18:34:42+00:00"), "2026-12-03 18:34:42 UTC");
  EXPECT_EQ(format_utc_time("2026-12-03T18:34:42+02:00"), "2026-12-03T18:34:42+02:00");  // another zone: as it is
  EXPECT_EQ(format_utc_time("yesterday"), "yesterday");
  EXPECT_EQ(format_utc_time(""), "");
}

}  // namespace
}  // namespace erg
