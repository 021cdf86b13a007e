#pragma once
#include <memory>

#include "sensors/models/process_tree.hpp"
#include "sensors/sensor.hpp"

namespace erg {

// CodeCarbon v2: 3 W per 8 GB of memory in use, 0.375 W/GB (configurable).
constexpr double default_dram_w_per_gb = 0.375;

// Estimated memory energy where no DRAM counter can be read: W per GB of the job's resident memory.
class DramModelSensor final : public Sensor {
 public:
  DramModelSensor(double w_per_gb, std::shared_ptr<ProcessTree> tree);
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> energy_j) override;

 private:
  double w_per_gb_;
  std::shared_ptr<ProcessTree> tree_;
  std::vector<DomainInfo> domains_;
  bool started_ = false;
  double last_time_s_ = 0, last_power_w_ = 0, energy_j_ = 0;
};

}  // namespace erg
