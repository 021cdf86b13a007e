#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "accounting/embodied.hpp"
#include "accounting/node_summary.hpp"
#include "accounting/grid_carbon.hpp"
#include "accounting/intensity_csv.hpp"
#include "accounting/job_account.hpp"
#include "temp_dir.hpp"
#include "util/errors.hpp"
#include "util/utc_date.hpp"

namespace erg {
namespace {

const double midnight = *parse_utc_time("2026-12-03T00:00:00Z");

// One node at a constant power from the job's start (00:00 UTC), sampled every step_s.
JobTrace constant_power_job(double power_w, double duration_s, double step_s) {
  JobTrace t;
  t.job.start_utc = "2026-12-03T00:00:00Z";
  t.job.duration_s = duration_s;
  t.carbon.pue = 1;
  t.carbon.emission_factor_g_per_kwh = 200;
  NodeTrace node;
  node.node = "n1";
  DomainSeries cpu;
  cpu.info.name = "cpu";
  cpu.info.source = "rapl";
  for (double time_s = 0;; time_s = std::min(time_s + step_s, duration_s)) {
    node.time_s.push_back(time_s);
    cpu.energy_j.push_back(power_w * time_s);
    if (time_s >= duration_s) break;
  }
  node.domains.push_back(cpu);
  t.nodes.push_back(node);
  return t;
}

GridIntensity hourly(std::vector<double> g_per_kwh, double first_unix_s = midnight) {
  GridIntensity s;
  s.source = "test";
  for (std::size_t i = 0; i < g_per_kwh.size(); ++i) {
    s.start_unix_s.push_back(first_unix_s + 3600.0 * static_cast<double>(i));
    s.end_unix_s.push_back(first_unix_s + 3600.0 * static_cast<double>(i + 1));
  }
  s.g_per_kwh = std::move(g_per_kwh);
  return s;
}

TEST(GridCarbon, TwoHoursAt100WUnder100Then300GramsIs40Grams) {
  // Samples every 7 s: one interval straddles 01:00 and is cut there.
  JobTrace t = constant_power_job(100, 7200, 7);
  t.carbon.intensity = hourly({100, 300});
  JobAccount a = account_job(t);
  EXPECT_NEAR(a.total.co2e_g, 40.0, 1e-9);
  EXPECT_DOUBLE_EQ(a.uncovered_facility_j, 0);
  EXPECT_TRUE(a.carbon_notes.empty());
  EXPECT_FALSE(a.best_start) << "the series covers the job exactly: no other start";
  // Phases take the intensity of their own hours.
  t.phases = {{"first", "train", 0, 3600, 0}, {"second", "train", 3600, 7200, 0}};
  a = account_job(t);
  EXPECT_NEAR(a.phases[0].energy.co2e_g, 10.0, 1e-9);
  EXPECT_NEAR(a.phases[1].energy.co2e_g, 30.0, 1e-9);
}

TEST(GridCarbon, HoursTheSeriesLeavesOutTakeTheEmissionFactorWithANote) {
  JobTrace t = constant_power_job(100, 7200, 1);
  t.carbon.intensity = hourly({100});  // 00:00 to 01:00 only
  JobAccount a = account_job(t);
  EXPECT_NEAR(a.total.co2e_g, 10.0 + 20.0, 1e-9);  // the second hour at 200 g/kWh
  EXPECT_NEAR(a.uncovered_facility_j, 360000, 1e-6);
  ASSERT_EQ(a.carbon_notes.size(), 1u);
  EXPECT_NE(a.carbon_notes[0].find("50 %"), std::string::npos) << a.carbon_notes[0];
  EXPECT_EQ(intensity_coverage_problem(t.carbon, midnight, midnight + 7200), "");
  EXPECT_NE(intensity_coverage_problem(t.carbon, midnight + 86400, midnight + 90000), "");
}

TEST(GridCarbon, WithoutASeriesNothingChanges) {
  JobTrace t = constant_power_job(100, 7200, 1);
  JobAccount a = account_job(t);
  EXPECT_DOUBLE_EQ(a.total.co2e_g, co2e_g(720000, t.carbon));
  EXPECT_FALSE(a.best_start);
}

TEST(GridCarbon, BestStartIsFoundToTheHour) {
  JobTrace t = constant_power_job(100, 7200, 10);
  // 00:00 500, 01:00 400, 02:00 100, 03:00 50, 04:00 20, 05:00 300: two hours cost least from 03:00.
  t.carbon.intensity = hourly({500, 400, 100, 50, 20, 300});
  JobAccount a = account_job(t);
  ASSERT_TRUE(a.best_start);
  EXPECT_EQ(iso8601_utc(a.best_start->start_unix_s), "2026-12-03T03:00:00Z");
  EXPECT_NEAR(a.best_start->co2e_g, 0.1 * 50 + 0.1 * 20, 1e-9);
  EXPECT_NEAR(a.total.co2e_g, 0.1 * 500 + 0.1 * 400, 1e-9);
}

TEST(Embodied, FollowsTheGivenFiguresExactly) {
  JobTrace t = constant_power_job(100, 7200, 1);
  t.carbon.embodied_g_per_node_hour = 50;
  t.carbon.embodied_g_per_gpu_hour = 4;
  DomainSeries gpu;
  gpu.info.name = "gpu0";
  gpu.energy_j = t.nodes[0].domains[0].energy_j;
  t.nodes[0].domains.push_back(gpu);
  JobAccount a = account_job(t);
  EXPECT_DOUBLE_EQ(a.embodied.node_hours, 2);
  EXPECT_DOUBLE_EQ(a.embodied.gpu_hours, 2);
  EXPECT_DOUBLE_EQ(a.embodied.co2e_g, 2 * 50 + 2 * 4);
  EXPECT_DOUBLE_EQ(a.total_co2e_g(), a.total.co2e_g + 108);
  // A shared node: the job's CPUs over the node's.
  t.nodes[0].share.mode = NodeShare::shared;
  t.nodes[0].share.job_cpus = 8;
  t.nodes[0].share.node_cpus = 32;
  EXPECT_DOUBLE_EQ(account_embodied(t, summaries_of(t).nodes).node_hours, 0.5);
  EXPECT_TRUE(is_gpu_domain("gpu12"));
  EXPECT_FALSE(is_gpu_domain("gpu"));
  EXPECT_FALSE(is_gpu_domain("cpu0"));
}

TEST(Embodied, DefaultsCarryTheirSource) {
  EmbodiedFactors f = default_embodied_factors(ERG_TEST_DATA_DIR);
  EXPECT_DOUBLE_EQ(f.g_per_node_hour, 55.96);
  EXPECT_DOUBLE_EQ(f.g_per_gpu_hour, 3.357);
  EXPECT_NE(f.source.find("BLOOM"), std::string::npos);
  // 2 500 kg and 150 kg over 6 years at 85 % use, as the file says.
  EXPECT_NEAR(2500e3 / (6 * 8760 * 0.85), f.g_per_node_hour, 0.01);
  EXPECT_NEAR(150e3 / (6 * 8760 * 0.85), f.g_per_gpu_hour, 0.001);
}

class IntensityCsv : public ::testing::Test {
 protected:
  erg::testing::TempDir dir;
  GridIntensity read(const std::string& text) {
    dir.write("series.csv", text);
    return read_intensity_csv(dir / "series.csv");
  }
};

TEST_F(IntensityCsv, ReadsDesignsColumnsAndCommonExports) {
  GridIntensity s = read("datetime,carbon_intensity_g_per_kwh\n2026-12-03T00:00:00Z,100\n2026-12-03T01:00:00Z,300\n");
  EXPECT_EQ(s.g_per_kwh, (std::vector<double>{100, 300}));
  EXPECT_EQ(s.start_unix_s, (std::vector<double>{midnight, midnight + 3600}));
  EXPECT_EQ(s.end_unix_s, (std::vector<double>{midnight + 3600, midnight + 7200}));  // the last for one step
  const std::string data = std::string(ERG_TEST_SOURCE_DIR) + "/tests/data/intensity/";
  for (const char* file : {"electricity_maps_hourly.csv", "entsoe_derived.csv"}) {
    GridIntensity e = read_intensity_csv(data + file);
    EXPECT_EQ(e.g_per_kwh, s.g_per_kwh) << file;  // the LCA column, not the direct one
    EXPECT_EQ(e.start_unix_s, s.start_unix_s) << file;
    EXPECT_EQ(e.end_unix_s, s.end_unix_s) << file;
  }
  // One row: one hour.
  EXPECT_EQ(read("datetime,carbon_intensity_g_per_kwh\n2026-12-03 00:00,100\n").end_unix_s[0], midnight + 3600);
}

TEST_F(IntensityCsv, BadSeriesAreUsageErrors) {
  const std::string header = "datetime,carbon_intensity_g_per_kwh\n";
  for (const std::string& bad : {header, header + "2026-12-03T00:00:00Z,abc\n", header + "2026-12-03T00:00:00Z,-5\n",
                                header + "2026-12-03T00:00:00Z,nan\n", header + "2026-12-03T00:00:00Z,inf\n",
                                header + "yesterday,100\n", header + "2026-12-03T01:00:00Z,100\n2026-12-03T00:00:00Z,200\n",
                                header + "2026-12-03T00:00:00Z,100\n2026-12-03T00:00:00Z,200\n",
                                std::string("when,what\n2026-12-03T00:00:00Z,1\n"), header + "2026-12-03T00:00:00Z\n"})
    EXPECT_THROW(read(bad), UsageError) << bad;
}

}  // namespace
}  // namespace erg
