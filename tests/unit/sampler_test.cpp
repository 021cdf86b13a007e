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

// What the sampler handed on, by domain: as its node session reads it.
struct Taken {
  std::vector<double> time_s;
  std::vector<std::vector<double>> energy_j;  // per domain
};

Taken take(Sampler& sampler) {
  std::vector<double> rows;
  sampler.take_samples(rows);
  Taken taken;
  const size_t width = sampler.row_width();
  taken.energy_j.resize(width - 1);
  for (size_t at = 0; at + width <= rows.size(); at += width) {
    taken.time_s.push_back(rows[at]);
    for (size_t d = 0; d + 1 < width; ++d) taken.energy_j[d].push_back(rows[at + 1 + d]);
  }
  return taken;
}

}  // namespace

TEST(Sampler, SamplesOnScheduleWithExtraSamplesAndOwnCpuTime) {
  NodeSensors sensors;
  sensors.sensors.push_back(std::make_unique<ConstantPowerSensor>(100));
  Sampler sampler(std::move(sensors), 0.01, monotonic_now_s());
  sampler.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  double extra_s = sampler.sample_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  sampler.stop();
  const Taken trace = take(sampler);
  // About 30 scheduled samples, plus the first, the extra and the last.
  EXPECT_GE(trace.time_s.size(), 15u);
  EXPECT_LE(trace.time_s.size(), 40u);
  EXPECT_TRUE(std::is_sorted(trace.time_s.begin(), trace.time_s.end()));
  EXPECT_NE(std::find(trace.time_s.begin(), trace.time_s.end(), extra_s), trace.time_s.end());
  EXPECT_GT(sampler.sampler_cpu_s(), 0.0);
  EXPECT_NEAR(trace.energy_j[0].back(), 100 * (trace.time_s.back() - trace.time_s.front()), 1e-6);
  EXPECT_TRUE(take(sampler).time_s.empty());  // handed on once: nothing stays behind
}

TEST(Sampler, SensorThatThrowsGivesMissingDataNotACrash) {
  NodeSensors sensors;
  sensors.sensors.push_back(std::make_unique<ThrowingSensor>());
  sensors.sensors.push_back(std::make_unique<ConstantPowerSensor>(10));
  Sampler sampler(std::move(sensors), 0.01, monotonic_now_s());
  sampler.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  sampler.stop();
  const Taken trace = take(sampler);
  EXPECT_TRUE(std::isnan(trace.energy_j[0].back()));
  EXPECT_FALSE(std::isnan(trace.energy_j[1].back()));
}

TEST(Sampler, StopWithoutStartAndTwiceIsHarmless) {
  Sampler sampler(NodeSensors{}, 1.0, monotonic_now_s());
  sampler.stop();
  sampler.start();
  sampler.stop();
  sampler.stop();
  EXPECT_EQ(take(sampler).time_s.size(), 2u);
}

TEST(Sampler, WindowIsBoundedWhenNobodyTakesTheSamplesAndKeepsTheEnergy) {
  NodeSensors sensors;
  sensors.sensors.push_back(std::make_unique<ConstantPowerSensor>(50));
  Sampler sampler(std::move(sensors), 3600, monotonic_now_s(), 64);
  for (int i = 0; i < 10000; ++i) sampler.sample_now();
  const Taken trace = take(sampler);
  EXPECT_LE(trace.time_s.size(), 64u);
  EXPECT_EQ(sampler.thinned_samples() + trace.time_s.size(), 10000u);
  EXPECT_NEAR(trace.energy_j[0].back(), 50 * (trace.time_s.back() - trace.time_s.front()), 1e-6);
}

TEST(SampleWindow, ThinsEverySecondRowKeepingFirstAndLast) {
  SampleWindow window(2, 4);
  for (int i = 0; i < 5; ++i) {
    double energy_j[] = {10.0 * i};
    window.push(i, energy_j);
  }
  std::vector<double> rows;
  window.take(rows);
  // At the fifth push 0 1 2 3 became 0 2 3; then 4.
  EXPECT_EQ(rows, (std::vector<double>{0, 0, 2, 20, 3, 30, 4, 40}));
  EXPECT_EQ(window.thinned_rows(), 1u);
  EXPECT_EQ(window.rows(), 0u);
}

}  // namespace erg
