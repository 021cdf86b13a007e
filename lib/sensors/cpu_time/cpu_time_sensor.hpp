#pragma once
#include <cmath>
#include <memory>
#include <string>

#include "sensors/models/process_tree.hpp"
#include "sensors/sensor.hpp"
#include "util/file_descriptor.hpp"

namespace erg {

// The inputs of a shared node's split (accounting/node_share_rule.hpp), sampled with the
// energy so that each interval has its own: the job's CPU seconds (its process tree) and the
// node's busy CPU seconds (all of /proc/stat's "cpu" line but idle and iowait) and, where
// known, those of every job's processes, each cumulative from 0 at the first read.
// Measurement::cpu_time: seconds, not joules.
class CpuTimeSensor final : public Sensor {
 public:
  // jobs_tree: every job's processes on the node, where they can be known (else null).
  CpuTimeSensor(std::shared_ptr<ProcessTree> tree, std::shared_ptr<ProcessTree> jobs_tree, const std::string& proc_root);
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> values) override;
  std::vector<std::string> notes() const override;

  static constexpr const char* job_domain = "job_cpu_time";
  static constexpr const char* node_domain = "node_cpu_time";
  static constexpr const char* jobs_domain = "jobs_cpu_time";

 private:
  double node_busy_ticks();  // NaN when /proc/stat cannot be read

  std::shared_ptr<ProcessTree> tree_, jobs_tree_;
  FileDescriptor stat_fd_;
  std::vector<DomainInfo> domains_;
  double ticks_per_s_;
  bool started_ = false;
  double first_job_ticks_ = 0, first_node_ticks_ = 0, first_jobs_ticks_ = 0;
  double node_ticks_ = NAN, node_read_at_s_ = -1e300;
  unsigned long long failed_reads_ = 0;
};

}  // namespace erg
