#include "accounting/life_cycle.hpp"

#include <gtest/gtest.h>

#include "accounting/estimates.hpp"
#include "util/errors.hpp"
#include "util/number_format.hpp"

namespace erg {

TEST(LifeCycle, ModelOfThePaper) {
  // T = I x D x E x F, CT = H x T, L = CT + T + e x I
  LifeCycle lc = life_cycle_model(2.0, 1000, 10, 5, 3, 1e6);
  EXPECT_DOUBLE_EQ(lc.training_j, 2.0 * 1000 * 10 * 5);
  EXPECT_DOUBLE_EQ(lc.search_j, 3 * 100000.0);
  EXPECT_DOUBLE_EQ(lc.lifetime_j, 300000 + 100000 + 1e6 * 2.0);
  EXPECT_DOUBLE_EQ(*lc.break_even_inferences, 400000 / 2.0);
}

TEST(LifeCycle, FromMeasuredPhases) {
  JobAccount account;
  auto phase = [](const char* kind, double j, std::uint64_t items) {
    PhaseAccount p;
    p.phase.kind = kind;
    p.phase.items = items;
    p.energy.it_energy_j = j;
    return p;
  };
  account.phases = {phase("search", 100, 0), phase("search", 50, 0), phase("train", 400, 1000),
                    phase("inference", 20, 200), phase("other", 999, 1)};
  LifeCycle lc = life_cycle_of(account, std::nullopt);
  EXPECT_DOUBLE_EQ(lc.search_j, 150);
  EXPECT_DOUBLE_EQ(lc.training_j, 400);
  EXPECT_DOUBLE_EQ(*lc.inference_j_per_item, 0.1);
  EXPECT_DOUBLE_EQ(lc.inferences, 200);  // the measured ones by default
  EXPECT_DOUBLE_EQ(lc.lifetime_j, 150 + 400 + 20);
  EXPECT_DOUBLE_EQ(*lc.break_even_inferences, 5500);
  EXPECT_DOUBLE_EQ(life_cycle_of(account, 1e4).lifetime_j, 150 + 400 + 1000);

  JobTrace trace;
  trace.carbon.pue = 1.5;
  account.total.it_energy_j = 2000;
  account.total.facility_energy_j = 3000;
  account.outside_phases.it_energy_j = 31;
  NodeTrace node;
  node.sampler_cpu_s = 2;
  node.cpu_tdp_w = 100;
  node.logical_cpus = 4;
  trace.nodes.push_back(node);
  Overheads o = overheads_of(summaries_of(trace).nodes, account);
  EXPECT_DOUBLE_EQ(o.facility_j, 1000);
  EXPECT_DOUBLE_EQ(*o.training_ratio, (400.0 / 1000) / (20.0 / 200));
  EXPECT_DOUBLE_EQ(o.idle_share, 31.0 / 2000);
  EXPECT_DOUBLE_EQ(o.measurement_j, 2 * 100.0 / 4);
}

TEST(LifeCycle, WithoutInferenceThereIsNoBreakEven) {
  JobAccount account;
  LifeCycle lc = life_cycle_of(account, std::nullopt);
  EXPECT_FALSE(lc.inference_j_per_item);
  EXPECT_FALSE(lc.break_even_inferences);
  EXPECT_FALSE(overheads_of({}, account).training_ratio);
}

TEST(Estimates, GreenAlgorithmsFormula) {
  // 2 h x (4 cores x 10 W x 0.5 + 1 GPU x 200 W x 0.5 + 16 GB x 0.3725 W)
  EXPECT_DOUBLE_EQ(hardware_energy_j(2, 4, 10, 1, 200, 16, 0.5), 2 * 3600 * (20 + 100 + 16 * 0.3725));
}

TEST(Estimates, HorowitzOperations) {
  EXPECT_DOUBLE_EQ(mac_energy_pj(32), 0.9 + 3.7);
  EXPECT_DOUBLE_EQ(mac_energy_pj(8), 0.2 + 0.6);
  EXPECT_NEAR(operations_energy_j(1e12, 16, {1e9, 0, 0, 1e6}), (1e12 * 1.5 + 1e9 * 2.5 + 1e6 * 500) * 1e-12, 1e-12);
  EXPECT_THROW(mac_energy_pj(12), UsageError);
}

TEST(Units, ReadableFigures) {
  EXPECT_EQ(format_energy_j_wh(143.8), "144 J (39.9 mWh)");
  EXPECT_EQ(format_energy_wh(3.6e6 * 12.5), "12.5 kWh");
  EXPECT_EQ(format_energy(108.3), "108 J");
  EXPECT_EQ(format_co2e(1234), "1.23 kg");
  EXPECT_EQ(format_percent(0.1234), "12.3 %");
}

}  // namespace erg
