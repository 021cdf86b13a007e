#pragma once
#include <memory>

#include "sensors/gpu/gpu_backend.hpp"
#include "sensors/sensor.hpp"

namespace erg {

// One domain per GPU ("gpu<index>"): the energy counter where the device has one (source
// "nvml"), else its power integrated over time (source "nvml-power"). A counter that falls
// back (a driver reload) or a failed read is missing data for that sample, never a negative
// step; later samples continue from there.
class GpuSensor final : public Sensor {
 public:
  GpuSensor(std::unique_ptr<GpuBackend> backend, std::vector<GpuDevice> counted);
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

}  // namespace erg
