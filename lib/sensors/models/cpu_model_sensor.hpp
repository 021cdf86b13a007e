#pragma once
#include <memory>

#include "sensors/models/cpu_tdp.hpp"
#include "sensors/models/process_tree.hpp"
#include "sensors/sensor.hpp"

namespace erg {

// Estimated CPU energy where no counter can be read: TDP x the job's share of all CPU time,
// that is each CPU-second of the job's processes at TDP / logical CPUs, never more in all than
// TDP x the time since the first read. The node's total comes from the clock, not /proc/stat:
// its text grows with the CPUs and interrupts, and at 1 ms sampling reading it was a tenth
// of the sampler's cost.
class CpuModelSensor final : public Sensor {
 public:
  CpuModelSensor(CpuTdp tdp, std::shared_ptr<ProcessTree> tree);
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> energy_j) override;
  double tdp_w() const { return tdp_.tdp_w; }
  // The CPU and DRAM models share the tree: this one says when it could not be read.
  std::vector<std::string> notes() const override;

 private:
  CpuTdp tdp_;
  std::shared_ptr<ProcessTree> tree_;
  std::vector<DomainInfo> domains_;
  bool started_ = false;
  double ticks_per_s_;
  double first_time_s_ = 0, last_job_ticks_ = 0;
  double uncapped_j_ = 0, energy_j_ = 0;
};

}  // namespace erg
