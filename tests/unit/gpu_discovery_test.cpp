#include "sensors/gpu/gpu_discovery.hpp"

#include <gtest/gtest.h>

namespace erg {

namespace {

// A vendor library with devices at a constant power, without energy counters.
class ConstantPowerBackend final : public GpuBackend {
 public:
  ConstantPowerBackend(const char* source, std::vector<double> power_w) : source_(source), power_w_(std::move(power_w)) {
    for (unsigned i = 0; i < power_w_.size(); ++i) devices_.push_back({i, "Fake", "GPU-" + std::to_string(i), false});
  }
  const char* source() const override { return source_; }
  const std::vector<GpuDevice>& devices() const override { return devices_; }
  std::optional<double> energy_j(unsigned) override { return std::nullopt; }
  std::optional<double> power_w(unsigned device) override { return power_w_.at(device); }

 private:
  const char* source_;
  std::vector<double> power_w_;
  std::vector<GpuDevice> devices_;
};

}  // namespace

TEST(GpuDiscovery, TwoVendorsOnOneNodeGetDistinctDomains) {
  DomainRegistry domains;
  auto nvidia = discover_gpus(std::make_unique<ConstantPowerBackend>("nvml", std::vector<double>{100, 200}),
                              GpuSelection{}, domains);
  auto amd = discover_gpus(std::make_unique<ConstantPowerBackend>("rocm-smi", std::vector<double>{50}), GpuSelection{},
                           domains);
  ASSERT_EQ(nvidia.sensors.size(), 1u);
  ASSERT_EQ(amd.sensors.size(), 1u);
  const auto& nv = nvidia.sensors[0]->domains();
  const auto& am = amd.sensors[0]->domains();
  ASSERT_EQ(nv.size(), 2u);
  ASSERT_EQ(am.size(), 1u);
  EXPECT_EQ(nv[0].name, "gpu0");
  EXPECT_EQ(nv[1].name, "gpu1");
  EXPECT_EQ(am[0].name, "gpu2");
  EXPECT_EQ(am[0].attributes.at("gpu_index"), "0");  // the vendor's own index
  EXPECT_EQ(am[0].measurement, Measurement::integrated_power);
  EXPECT_EQ(amd.probes.at(0).domain, "gpu2");

  std::vector<double> energy_j(1);
  amd.sensors[0]->read(0.0, energy_j);
  amd.sensors[0]->read(2.0, energy_j);
  EXPECT_DOUBLE_EQ(energy_j[0], 100.0);  // 50 W for 2 s
}

TEST(GpuDiscovery, NamesDoNotDependOnTheJobsGpus) {
  DomainRegistry domains;
  GpuSelection second_only;
  second_only.all = false;
  second_only.ids = {"1"};
  second_only.from = "CUDA_VISIBLE_DEVICES";
  auto found = discover_gpus(std::make_unique<ConstantPowerBackend>("nvml", std::vector<double>{100, 200}),
                             second_only, domains);
  ASSERT_EQ(found.sensors.size(), 1u);
  ASSERT_EQ(found.sensors[0]->domains().size(), 1u);
  EXPECT_EQ(found.sensors[0]->domains()[0].name, "gpu1");
  EXPECT_EQ(found.probes.at(0).status, "not counted");
}

}  // namespace erg
