#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sensors/gpu/gpu_backend.hpp"
#include "sensors/sensor.hpp"

namespace erg {

// A GPU the sensor reads, and the node's domain name for it ("gpu2"), which need not be the
// vendor's index when a node has GPUs of two vendors.
struct CountedGpu {
  std::string domain;
  GpuDevice device;
};

// One domain per GPU: the energy counter where the device has one (Measurement::counter,
// source "nvml"), else its power integrated over time (Measurement::integrated_power, source
// "nvml-power"). A counter that falls back (a driver reload) or a failed read is missing data
// for that sample, never a negative step; later samples continue from there.
class GpuSensor final : public Sensor {
 public:
  GpuSensor(std::unique_ptr<GpuBackend> backend, std::vector<CountedGpu> counted);
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> energy_j) override;
  std::vector<std::string> notes() const override;

 private:
  struct State {
    GpuDevice device;
    std::optional<double> last_counter_j;  // counter devices
    std::optional<double> last_power_w;    // power devices
    double last_time_s = 0;
    double total_j = 0;
  };
  std::unique_ptr<GpuBackend> backend_;
  std::vector<State> states_;
  std::vector<DomainInfo> domains_;
  std::uint64_t resets_ = 0, failed_reads_ = 0;
};

// How the device's energy is obtained: its own counter, or its power integrated over time.
Measurement gpu_measurement(const GpuDevice& device);

}  // namespace erg
