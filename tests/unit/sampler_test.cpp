#include "sampler/sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

// A sensor whose power is constant: energy = power x time.
class ConstantPowerSensor final : public Sensor {
 public:
  explicit ConstantPowerSensor(double power_w) : power_w_(power_w), domains_{{"cpu", "test", ""}} {}
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> energy_j) override {
    if (!start_s_) start_s_ = time_s;
    energy_j[0] = power_w_ * (time_s - *start_s_);
  }

 private:
  double power_w_;
  std::optional<double> start_s_;
  std::vector<DomainInfo> domains_;
};

class ThrowingSensor final : public Sensor {
 public:
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double, std::span<double>) override { throw std::runtime_error("broken"); }

 private:
  std::vector<DomainInfo> domains_{{"gpu0", "test", ""}};
};

}  // namespace

TEST(Sampler, SamplesOnScheduleWithExtraSamplesAndOwnCpuTime) {
  NodeSensors sensors;
  sensors.sensors.push_back(std::make_unique<ConstantPowerSensor>(100));
  Sampler sampler(std::move(sensors), 0.01, monotonic_now_s(), "n0");
  sampler.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  double extra_s = sampler.sample_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  sampler.stop();
  const NodeTrace& trace = sampler.trace();
  EXPECT_EQ(trace.node, "n0");
  // About 30 scheduled samples, plus the first, the extra and the last.
  EXPECT_GE(trace.time_s.size(), 15u);
  EXPECT_LE(trace.time_s.size(), 40u);
  EXPECT_TRUE(std::is_sorted(trace.time_s.begin(), trace.time_s.end()));
  EXPECT_NE(std::find(trace.time_s.begin(), trace.time_s.end(), extra_s), trace.time_s.end());
  EXPECT_GT(trace.sampler_cpu_s, 0.0);
  EXPECT_NEAR(trace.domains[0].energy_j.back(), 100 * (trace.time_s.back() - trace.time_s.front()), 1e-6);
}

TEST(Sampler, SensorThatThrowsGivesMissingDataNotACrash) {
  NodeSensors sensors;
  sensors.sensors.push_back(std::make_unique<ThrowingSensor>());
  sensors.sensors.push_back(std::make_unique<ConstantPowerSensor>(10));
  Sampler sampler(std::move(sensors), 0.01, monotonic_now_s(), "n0");
  sampler.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  sampler.stop();
  EXPECT_TRUE(std::isnan(sampler.trace().domains[0].energy_j.back()));
  EXPECT_FALSE(std::isnan(sampler.trace().domains[1].energy_j.back()));
}

TEST(Sampler, StopWithoutStartAndTwiceIsHarmless) {
  Sampler sampler(NodeSensors{}, 1.0, monotonic_now_s(), "n0");
  sampler.stop();
  sampler.start();
  sampler.stop();
  sampler.stop();
  EXPECT_EQ(sampler.trace().time_s.size(), 2u);
}

}  // namespace erg
