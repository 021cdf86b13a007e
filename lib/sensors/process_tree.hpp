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
    double job_cpu_ticks = 0;     // utime+stime(+children reaped) of the tree, never decreasing
    double system_cpu_ticks = 0;  // all CPUs, idle included, from /proc/stat
    double rss_bytes = 0;
  };

  // roots() is called at each walk, so that the set of job processes may change.
  ProcessTree(std::function<std::vector<pid_t>()> roots, std::string proc_root = "/proc", double rescan_s = 1.0);

  // Reads procfs unless it was already read at this very time_s.
  const Usage& usage_at(double time_s);

 private:
  struct Member {
    FileDescriptor stat_fd;
    double cpu_ticks = 0;
    double rss_pages = 0;
  };
  void walk();

  std::function<std::vector<pid_t>()> roots_;
  std::string proc_root_;
  double rescan_s_;
  double walked_at_s_ = -1e300;
  double scanned_at_s_ = -1;
  FileDescriptor system_stat_fd_;
  std::map<pid_t, Member> members_;
  Usage usage_;
};

// The processes of this process itself: for an agent that accounts its own node's ranks.
std::function<std::vector<pid_t>()> fixed_roots(std::vector<pid_t> pids);

}  // namespace erg
