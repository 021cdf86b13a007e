#include "sensors/energy_counter.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace erg {

TEST(EnergyCounter, StartsAtZeroAndAccumulatesJoules) {
  EnergyCounter counter(1'000'000'000, 1e-6);
  EXPECT_DOUBLE_EQ(counter.update(500'000'000), 0.0);
  EXPECT_DOUBLE_EQ(counter.update(600'000'000), 100.0);
  EXPECT_DOUBLE_EQ(counter.update(600'000'000), 100.0);
}

TEST(EnergyCounter, WrapAroundAddsTheRestOfTheRange) {
  EnergyCounter counter(1'000'000'000, 1e-6);  // wraps from 999'999'999 to 0
  counter.update(999'000'000);
  EXPECT_DOUBLE_EQ(counter.update(2'000'000), 3.0);  // 1'000'000 to the top, 2'000'000 after
}

TEST(EnergyCounter, FailedReadIsMissingNotZeroAndTheNextReadCatchesUp) {
  EnergyCounter counter(1'000'000'000, 1e-6);
  counter.update(0);
  EXPECT_TRUE(std::isnan(counter.update(std::nullopt)));
  EXPECT_DOUBLE_EQ(counter.update(5'000'000), 5.0);
}

TEST(EnergyCounter, CounterGoingBackwardsIsMissingNeverNegative) {
  EnergyCounter counter(1'000'000'000, 1e-6);
  counter.update(800'000'000);
  counter.update(810'000'000);                        // 10 J
  EXPECT_TRUE(std::isnan(counter.update(700'000'000)));  // a reset: as a wrap it would be 890 kJ
  EXPECT_EQ(counter.resets(), 1u);
  EXPECT_DOUBLE_EQ(counter.update(701'000'000), 11.0);  // continues from the new base
}

}  // namespace erg
