#include "sensors/cpu_time/cpu_time_sensor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>

namespace erg {

CpuTimeSensor::CpuTimeSensor(std::shared_ptr<ProcessTree> tree, std::shared_ptr<ProcessTree> jobs_tree,
                             const std::string& proc_root)
    : tree_(std::move(tree)),
      jobs_tree_(std::move(jobs_tree)),
      stat_fd_(::open((proc_root + "/stat").c_str(), O_RDONLY | O_CLOEXEC)),
      ticks_per_s_(static_cast<double>(sysconf(_SC_CLK_TCK))) {
  domains_.push_back({job_domain, "procfs", "the job's processes", {}, Measurement::cpu_time});
  domains_.push_back({node_domain, "procfs", proc_root + "/stat", {}, Measurement::cpu_time});
  if (jobs_tree_) domains_.push_back({jobs_domain, "procfs", "every job's processes", {}, Measurement::cpu_time});
}

double CpuTimeSensor::node_busy_ticks() {
  // The first line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice";
  // guest time is already inside user, so it is not added again.
  char text[512];
  ssize_t n = stat_fd_.valid() ? ::pread(stat_fd_.get(), text, sizeof text - 1, 0) : -1;
  if (n <= 4) return NAN;
  text[n] = '\0';
  if (text[0] != 'c' || text[1] != 'p' || text[2] != 'u' || text[3] != ' ') return NAN;
  char* at = text + 4;
  double fields[8] = {};
  for (double& field : fields) {
    char* end = nullptr;
    unsigned long long value = std::strtoull(at, &end, 10);
    if (end == at) return NAN;
    field = static_cast<double>(value);
    at = end;
  }
  const double idle = fields[3], iowait = fields[4];
  double all = 0;
  for (double field : fields) all += field;
  return all - idle - iowait;
}

void CpuTimeSensor::read(double time_s, std::span<double> values) {
  const double job_ticks = tree_->usage_at(time_s).job_cpu_ticks;
  const double jobs_ticks = jobs_tree_ ? jobs_tree_->usage_at(time_s).job_cpu_ticks : 0.0;
  // /proc/stat counts in clock ticks, as the process trees do: read it no more often than
  // they read procfs (at 1 ms sampling it would otherwise be a read per sample).
  if (time_s - node_read_at_s_ >= ProcessTree::min_reread_s || !std::isfinite(node_ticks_)) {
    node_ticks_ = node_busy_ticks();
    node_read_at_s_ = time_s;
  }
  const double node_ticks = node_ticks_;
  if (!std::isfinite(node_ticks)) {
    ++failed_reads_;
    for (double& value : values) value = NAN;
    return;
  }
  if (!started_) {
    started_ = true;
    first_job_ticks_ = job_ticks;
    first_node_ticks_ = node_ticks;
    first_jobs_ticks_ = jobs_ticks;
  }
  values[0] = std::max(job_ticks - first_job_ticks_, 0.0) / ticks_per_s_;
  values[1] = std::max(node_ticks - first_node_ticks_, 0.0) / ticks_per_s_;
  if (jobs_tree_) values[2] = std::max(jobs_ticks - first_jobs_ticks_, 0.0) / ticks_per_s_;
}

std::vector<std::string> CpuTimeSensor::notes() const {
  if (failed_reads_ == 0) return {};
  return {"the node's CPU time could not be read " + std::to_string(failed_reads_) +
          " times: those intervals of the shared node are split by allocation alone"};
}

}  // namespace erg
