#pragma once
#include <sys/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "util/file_descriptor.hpp"

namespace erg {

// CPU time and memory of the processes a job consists of: the given roots and all their
// descendants, read from procfs. Finding the descendants needs a walk of all of /proc, which
// is repeated at most every rescan_s; each sample only re-reads the members' stat files,
// kept open. The model sensors share one instance, so each sample reads procfs once.
class ProcessTree {
 public:
  struct Usage {
    double job_cpu_ticks = 0;     // CPU ticks the tree's processes used while members, never decreasing
    double rss_bytes = 0;
    double read_at_s = -1;        // the sample time of the procfs read these figures come from
  };

  // roots() is called at each walk, so that the set of job processes may change.
  ProcessTree(std::function<std::vector<pid_t>()> roots, std::string proc_root = "/proc", double rescan_s = 1.0);

  // Reads procfs unless it was read less than min_reread_s before time_s: procfs counts CPU
  // time in clock ticks (USER_HZ = 100, 10 ms), so reading it more often tells nothing new,
  // and at 1 ms sampling it would be most of the sampler's cost.
  const Usage& usage_at(double time_s);
  static constexpr double min_reread_s = 0.01;

  // How often procfs could not be read for want of resources (descriptors, memory), and
  // why, the last time: the figures then miss processes, and the trace must say so.
  unsigned long long unreadable_count() const { return unreadable_count_; }
  const std::string& unreadable_reason() const { return unreadable_reason_; }

 private:
  struct Member {
    FileDescriptor stat_fd;
    double last_ticks = 0;  // utime+stime+cutime+cstime at its last read
    pid_t pid = 0;
    pid_t ppid = 0;
  };
  void walk(std::vector<pid_t> roots);

  std::function<std::vector<pid_t>()> roots_;
  std::string proc_root_;
  double rescan_s_;
  double walked_at_s_ = -1e300;
  std::vector<pid_t> walked_roots_;  // a new root (erg run's child, just started) is walked at once
  std::map<pid_t, Member> members_;
  std::map<pid_t, double> reaped_credit_ticks_;  // parent -> ticks of its gone member children
  Usage usage_;
  unsigned long long unreadable_count_ = 0;
  std::string unreadable_reason_;
  void note_unreadable(int error);
};

// The processes of this process itself: for an agent that accounts its own node's ranks.
std::function<std::vector<pid_t>()> fixed_roots(std::vector<pid_t> pids);

}  // namespace erg
