#pragma once
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace erg {

// CPU time and memory of the processes a job consists of: the given roots and all their
// descendants, read from procfs. The model sensors share one instance so that procfs is
// scanned once per sample.
class ProcessTree {
 public:
  struct Usage {
    double job_cpu_ticks = 0;     // utime+stime(+children reaped) of the tree, never decreasing
    double system_cpu_ticks = 0;  // all CPUs, idle included, from /proc/stat
    double rss_bytes = 0;
  };

  // roots() is called at each scan, so that the set of job processes may change.
  ProcessTree(std::function<std::vector<pid_t>()> roots, std::string proc_root = "/proc");

  // Scans procfs unless it was already scanned at this very time_s.
  const Usage& usage_at(double time_s);

 private:
  std::function<std::vector<pid_t>()> roots_;
  std::string proc_root_;
  double scanned_at_s_ = -1;
  Usage usage_;
};

// The processes of this process itself: for an agent that accounts its own node's ranks.
std::function<std::vector<pid_t>()> fixed_roots(std::vector<pid_t> pids);

}  // namespace erg
