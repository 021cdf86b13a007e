#include "accounting/job_account.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "accounting/cumulative_series.hpp"

namespace erg {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

NodeTrace node(const std::string& name, std::vector<double> time_s, std::vector<double> cpu_j,
               const std::string& source = "rapl") {
  NodeTrace n;
  n.node = name;
  n.time_s = std::move(time_s);
  Measurement measurement = source == "model" ? Measurement::model : Measurement::counter;
  n.domains.push_back({{"cpu", source, "", {}, measurement}, std::move(cpu_j)});
  return n;
}

}  // namespace

TEST(CumulativeSeries, InterpolatesAndSkipsMissingSamples) {
  CumulativeSeries s({0, 1, 2, 3}, {0, 10, nan, 30});
  EXPECT_DOUBLE_EQ(s.at(0.5), 5.0);
  EXPECT_DOUBLE_EQ(s.at(2.0), 20.0);  // between 10 at 1 s and 30 at 3 s
  EXPECT_DOUBLE_EQ(s.at(-1), 0.0);
  EXPECT_DOUBLE_EQ(s.at(9), 30.0);
  EXPECT_DOUBLE_EQ(s.total(), 30.0);
}

TEST(JobAccount, PhasesPlusOutsideEqualTotalAndNodesSumToTotal) {
  JobTrace trace;
  trace.carbon.pue = 1.5;
  trace.carbon.emission_factor_g_per_kwh = 400;
  trace.nodes.push_back(node("a", {0, 1, 2, 3, 4, 5}, {0, 10, 25, 27, 40, 41}));
  trace.nodes.push_back(node("b", {0.1, 1.3, 2.2, 3.9, 5.1}, {0, 7, 9, 30, 33}, "model"));
  trace.phases = {{"s", "search", 0.5, 1.7, 0}, {"t", "train", 2.0, 3.2, 100}, {"i", "inference", 3.2, 4.5, 50}};
  JobAccount a = account_job(trace);
  EXPECT_DOUBLE_EQ(a.total.it_energy_j, 41 + 33);
  double phases = 0;
  for (const auto& p : a.phases) phases += p.energy.it_energy_j;
  EXPECT_NEAR(phases + a.outside_phases.it_energy_j, a.total.it_energy_j, 1e-9 * a.total.it_energy_j);
  double nodes = 0;
  for (const auto& [name, j] : a.total.by_node_j) nodes += j;
  EXPECT_NEAR(nodes, a.total.it_energy_j, 1e-12);
  EXPECT_DOUBLE_EQ(a.total.facility_energy_j, 1.5 * 74);
  EXPECT_DOUBLE_EQ(a.total.co2e_g, 1.5 * 74 / 3.6e6 * 400);
  EXPECT_EQ(a.estimated_domains, std::vector<std::string>{"cpu"});
  EXPECT_EQ(a.domain_sources["cpu"], "rapl,model");
  // Phase t on node a: 2.0 -> 3.2 s is 25 -> 27 + 0.2 x 13.
  EXPECT_NEAR(a.phases[1].energy.by_node_j["a"], 27 + 0.2 * 13 - 25, 1e-12);
}

TEST(JobAccount, NodeWithoutSamplesCountsZeroButIsListed) {
  JobTrace trace;
  NodeTrace empty;
  empty.node = "x";
  trace.nodes.push_back(empty);
  JobAccount a = account_job(trace);
  EXPECT_EQ(a.total.by_node_j.count("x"), 1u);
  EXPECT_DOUBLE_EQ(a.total.it_energy_j, 0.0);
}

}  // namespace erg
