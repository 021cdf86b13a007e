#include "sensors/rapl/rapl_sensor.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "simulated_powercap.hpp"

namespace erg {

using testing::SimulatedPowercap;

namespace {

std::vector<double> read(Sensor& sensor) {
  std::vector<double> energy(sensor.domains().size());
  sensor.read(0, energy);
  return energy;
}

const SensorProbe* probe_of(const RaplDiscovery& d, const std::string& path_suffix) {
  for (const auto& p : d.probes)
    if (p.path.size() >= path_suffix.size() && p.path.compare(p.path.size() - path_suffix.size(), path_suffix.size(), path_suffix) == 0)
      return &p;
  return nullptr;
}

}  // namespace

TEST(RaplSensor, SumsPackagesIntoCpuAndDramZonesIntoDram) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 1'000'000);
  pc.add_zone("intel-rapl:1", "package-1", 2'000'000);
  pc.add_zone("intel-rapl:0:0", "dram", 0);
  pc.add_zone("intel-rapl:1:0", "dram", 0);
  auto d = discover_rapl(pc.root());
  ASSERT_TRUE(d.sensor);
  ASSERT_EQ(d.sensor->domains().size(), 2u);
  EXPECT_EQ(d.sensor->domains()[0].name, "cpu");
  EXPECT_EQ(d.sensor->domains()[1].name, "dram");
  read(*d.sensor);
  pc.set_energy("intel-rapl:0", 11'000'000);
  pc.set_energy("intel-rapl:1", 7'000'000);
  pc.set_energy("intel-rapl:0:0", 1'000'000);
  pc.set_energy("intel-rapl:1:0", 500'000);
  auto e = read(*d.sensor);
  EXPECT_DOUBLE_EQ(e[0], 15.0);
  EXPECT_DOUBLE_EQ(e[1], 1.5);
}

TEST(RaplSensor, IdentifiesZonesByNameNotIndexAndCountsNoSubzoneTwice) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 0);
  pc.add_zone("intel-rapl:0:0", "core", 0);
  pc.add_zone("intel-rapl:0:1", "uncore", 0);
  pc.add_zone("intel-rapl:0:2", "dram", 0);
  pc.add_zone("intel-rapl:1", "psys", 0);
  pc.add_zone("intel-rapl-mmio:0", "package-0", 0);  // the same package through MMIO
  auto d = discover_rapl(pc.root());
  ASSERT_TRUE(d.sensor);
  EXPECT_EQ(d.sensor->domains().size(), 2u);
  EXPECT_EQ(probe_of(d, "intel-rapl:0:0/energy_uj")->status, "not counted");
  EXPECT_EQ(probe_of(d, "intel-rapl:0:1/energy_uj")->status, "not counted");
  EXPECT_EQ(probe_of(d, "intel-rapl:1/energy_uj")->status, "not counted");
  EXPECT_EQ(probe_of(d, "intel-rapl-mmio:0/energy_uj")->status, "not counted");
  EXPECT_EQ(probe_of(d, "intel-rapl:0:2/energy_uj")->status, "used");

  read(*d.sensor);
  pc.set_energy("intel-rapl:0", 4'000'000);
  pc.set_energy("intel-rapl:0:0", 3'000'000);
  pc.set_energy("intel-rapl-mmio:0", 4'000'000);
  EXPECT_DOUBLE_EQ(read(*d.sensor)[0], 4.0);
}

TEST(RaplSensor, MmioZoneIsUsedWhenItIsTheOnlyOne) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl-mmio:0", "package-0", 0);
  auto d = discover_rapl(pc.root());
  ASSERT_TRUE(d.sensor);
  EXPECT_EQ(d.sensor->domains()[0].name, "cpu");
}

TEST(RaplSensor, WrapsAroundAtMaxEnergyRange) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 999'000'000, 999'999'999);
  auto d = discover_rapl(pc.root());
  read(*d.sensor);
  pc.set_energy("intel-rapl:0", 4'000'000);
  EXPECT_DOUBLE_EQ(read(*d.sensor)[0], 5.0);
}

TEST(RaplSensor, UnreadableCounterIsMissingData) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 1'000'000);
  auto d = discover_rapl(pc.root());
  read(*d.sensor);
  pc.set_energy("intel-rapl:0", 0);  // rewritten below as text that is no number
  {
    std::ofstream(pc.root() + "/intel-rapl:0/energy_uj") << "garbage\n";
  }
  EXPECT_TRUE(std::isnan(read(*d.sensor)[0]));
  pc.set_energy("intel-rapl:0", 3'000'000);
  EXPECT_DOUBLE_EQ(read(*d.sensor)[0], 2.0);
}

TEST(RaplSensor, ZoneWhoseCounterCannotBeOpenedIsReportedAndSkipped) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 0);
  std::filesystem::remove(pc.root() + "/intel-rapl:0/energy_uj");
  std::filesystem::create_directory(pc.root() + "/intel-rapl:0/energy_uj");  // cannot be read as a file
  auto d = discover_rapl(pc.root());
  EXPECT_FALSE(d.sensor);
  EXPECT_EQ(probe_of(d, "intel-rapl:0/energy_uj")->status, "unreadable");
}

TEST(RaplSensor, LeavesOutADomainThatAnotherSourceClaimed) {
  SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 0);
  pc.add_zone("intel-rapl:0:0", "dram", 0);
  pc.add_zone("intel-rapl:1", "package-1", 0);
  DomainRegistry domains;
  ASSERT_TRUE(domains.claim("dram", "hwmon"));
  auto d = discover_rapl(pc.root(), domains);
  ASSERT_TRUE(d.sensor);
  ASSERT_EQ(d.sensor->domains().size(), 1u);
  EXPECT_EQ(d.sensor->domains()[0].name, "cpu");  // both packages, claimed once
  EXPECT_EQ(d.sensor->domains()[0].measurement, Measurement::counter);
  EXPECT_EQ(domains.owner("cpu"), "rapl");
  EXPECT_EQ(probe_of(d, "intel-rapl:1/energy_uj")->status, "used");
  const SensorProbe* dram = probe_of(d, "intel-rapl:0:0/energy_uj");
  EXPECT_EQ(dram->status, "not counted");
  EXPECT_NE(dram->detail.find("hwmon"), std::string::npos);
}

TEST(RaplSensor, NoTreeMeansNoSensor) {
  auto d = discover_rapl("/nonexistent/powercap");
  EXPECT_FALSE(d.sensor);
  EXPECT_TRUE(d.probes.empty());
}

}  // namespace erg
