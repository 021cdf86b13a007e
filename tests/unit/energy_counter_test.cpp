#include "sensors/energy_counter.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace erg {

TEST(EnergyCounter, StartsAtZeroAndAccumulatesJoules) {
  EnergyCounter counter(1'000'000'000, 1e-6);
  EXPECT_DOUBLE_EQ(counter.update(500'000'000, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(counter.update(600'000'000, 2.0), 100.0);
  EXPECT_DOUBLE_EQ(counter.update(600'000'000, 3.0), 100.0);
}

TEST(EnergyCounter, WrapAroundAddsTheRestOfTheRange) {
  EnergyCounter counter(1'000'000'000, 1e-6);  // wraps from 999'999'999 to 0
  counter.update(999'000'000, 4.0);
  EXPECT_DOUBLE_EQ(counter.update(2'000'000, 5.0), 3.0);  // 1'000'000 to the top, 2'000'000 after
}

TEST(EnergyCounter, FailedReadIsMissingNotZeroAndTheNextReadCatchesUp) {
  EnergyCounter counter(1'000'000'000, 1e-6);
  counter.update(0, 6.0);
  EXPECT_TRUE(std::isnan(counter.update(std::nullopt, 7.0)));
  EXPECT_DOUBLE_EQ(counter.update(5'000'000, 8.0), 5.0);
}

TEST(EnergyCounter, CounterGoingBackwardsIsMissingNeverNegative) {
  EnergyCounter counter(1'000'000'000, 1e-6);
  counter.update(800'000'000, 9.0);
  counter.update(810'000'000, 10.0);                        // 10 J
  EXPECT_TRUE(std::isnan(counter.update(700'000'000, 11.0)));  // a reset: as a wrap it would be 890 kJ
  EXPECT_EQ(counter.resets(), 1u);
  EXPECT_DOUBLE_EQ(counter.update(701'000'000, 12.0), 11.0);  // continues from the new base
}

TEST(EnergyCounter, IntervalLongerThanTheWrapTimeIsReported) {
  // 1 J range, 10 W at most: it wraps at least every 0.1 s.
  EnergyCounter counter(1'000'000, 1e-6, 10.0);
  EXPECT_DOUBLE_EQ(counter.wrap_time_s(), 0.1);
  counter.update(0, 0.0);
  counter.update(500'000, 0.05);  // 0.05 s: one wrap at most, unambiguous
  EXPECT_EQ(counter.ambiguous_intervals(), 0u);
  EXPECT_EQ(counter.ambiguity_note("zone"), "");
  counter.update(700'000, 0.55);  // 0.5 s: five wraps at full power, or none; no reading tells
  counter.update(900'000, 1.05);
  EXPECT_EQ(counter.ambiguous_intervals(), 2u);
  EXPECT_DOUBLE_EQ(counter.longest_interval_s(), 0.5);
  EXPECT_NE(counter.ambiguity_note("zone").find("interval is too long"), std::string::npos);
}

TEST(EnergyCounter, UnknownMaximumPowerUsesTheHighestPowerSeen) {
  EnergyCounter counter(100'000'000, 1e-6);  // 100 J range, no stated maximum
  counter.update(0, 0.0);
  counter.update(20'000'000, 1.0);  // 20 W seen: wraps in 5 s at that power
  EXPECT_DOUBLE_EQ(counter.wrap_time_s(), 5.0);
  counter.update(30'000'000, 2.0);
  EXPECT_EQ(counter.ambiguous_intervals(), 0u);
  counter.update(40'000'000, 8.0);  // 6 s: maybe one wrap more at 20 W
  EXPECT_EQ(counter.ambiguous_intervals(), 1u);
  // Short intervals (phase bounds) say nothing of the power: RAPL updates in steps.
  EnergyCounter fine(100'000'000, 1e-6);
  fine.update(0, 0.0);
  fine.update(1'000, 0.00001);
  EXPECT_TRUE(std::isinf(fine.wrap_time_s()));
}

}  // namespace erg
