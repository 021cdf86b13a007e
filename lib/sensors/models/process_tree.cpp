#include "sensors/models/process_tree.hpp"

#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

struct ProcStat {
  pid_t ppid = 0;
  double cpu_ticks = 0;  // utime + stime + cutime + cstime
  double rss_pages = 0;
};

// Fields after the command name, which may itself hold spaces and parentheses.
bool parse_stat(const std::string& text, ProcStat& out) {
  auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  const char* p = text.c_str() + close + 1;
  char* end = nullptr;
  while (*p == ' ') ++p;
  ++p;  // the state letter
  double f[22];
  for (double& x : f) {
    x = std::strtod(p, &end);
    if (end == p) return false;
    p = end;
  }
  out.ppid = static_cast<pid_t>(f[0]);
  out.cpu_ticks = f[10] + f[11] + f[12] + f[13];  // fields 14-17: utime stime cutime cstime
  out.rss_pages = f[20];                          // field 24: rss
  return true;
}

}  // namespace

ProcessTree::ProcessTree(std::function<std::vector<pid_t>()> roots, std::string proc_root, double rescan_s)
    : roots_(std::move(roots)), proc_root_(std::move(proc_root)), rescan_s_(rescan_s) {}

void ProcessTree::note_unreadable(int error) {
  ++unreadable_count_;
  unreadable_reason_ = std::strerror(error);
}

void ProcessTree::walk(std::vector<pid_t> roots) {
  std::map<pid_t, pid_t> parent;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(proc_root_.c_str()), closedir);
  if (!dir) note_unreadable(errno);
  if (dir) {
    while (dirent* entry = readdir(dir.get())) {
      char* end = nullptr;
      long pid = std::strtol(entry->d_name, &end, 10);
      if (*end != '\0' || pid <= 0) continue;
      auto text = read_text_file(proc_root_ + "/" + entry->d_name + "/stat");
      ProcStat stat;
      if (text && parse_stat(*text, stat)) parent[static_cast<pid_t>(pid)] = stat.ppid;
    }
  }
  walked_roots_ = roots;
  std::vector<pid_t> frontier = std::move(roots), in_tree;
  while (!frontier.empty()) {
    pid_t pid = frontier.back();
    frontier.pop_back();
    if (!parent.count(pid) || std::find(in_tree.begin(), in_tree.end(), pid) != in_tree.end()) continue;
    in_tree.push_back(pid);
    for (const auto& [child, of] : parent)
      if (of == pid) frontier.push_back(child);
  }
  for (pid_t pid : in_tree)
    if (!members_.count(pid)) {
      FileDescriptor fd(::open((proc_root_ + "/" + std::to_string(pid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd.valid() && (errno == EMFILE || errno == ENFILE || errno == ENOMEM)) {
        note_unreadable(errno);  // tried again at the next walk
        continue;
      }
      members_[pid].stat_fd = std::move(fd);
    }
  // Only a member can still reap: owed ticks of any other parent are dropped (bounded).
  std::erase_if(reaped_credit_ticks_, [this](const auto& credit) { return !members_.count(credit.first); });
}

const ProcessTree::Usage& ProcessTree::usage_at(double time_s) {
  // Slack for the wake-up jitter of two ticks: at a 10 ms interval every tick reads.
  if (usage_.read_at_s >= 0 && time_s - usage_.read_at_s < 0.9 * min_reread_s) return usage_;
  usage_.read_at_s = time_s;
  double now_s = monotonic_now_s();
  std::vector<pid_t> roots = roots_();
  if (now_s - walked_at_s_ >= rescan_s_ || roots != walked_roots_) {
    walked_at_s_ = now_s;
    walk(std::move(roots));
  }
  // First who is gone, so that a parent's cutime is checked against every child that ended
  // in this read, whatever their order.
  std::vector<std::pair<Member*, ProcStat>> alive;
  for (auto it = members_.begin(); it != members_.end();) {
    ProcStat stat;
    auto text = it->second.stat_fd.valid() ? pread_text(it->second.stat_fd.get()) : std::nullopt;
    if (!text || !parse_stat(*text, stat)) {
      // Gone: what it used stays counted. A parent that reaps it sees those ticks again in
      // its cutime, so they are owed back from that parent's next increase.
      if (it->second.last_ticks > 0) reaped_credit_ticks_[it->second.ppid] += it->second.last_ticks;
      it = members_.erase(it);
      continue;
    }
    it->second.pid = it->first;
    alive.emplace_back(&it->second, stat);
    ++it;
  }
  double rss_pages = 0;
  for (auto& [member, stat] : alive) {
    // Each member counts what it used since its last read (all of it at the first), so that
    // a process that leaves takes nothing back and the total never stalls.
    double new_ticks = std::max(stat.cpu_ticks - member->last_ticks, 0.0);
    if (auto credit = reaped_credit_ticks_.find(member->pid); credit != reaped_credit_ticks_.end()) {
      const double owed = std::min(new_ticks, credit->second);
      new_ticks -= owed;
      credit->second -= owed;
      if (credit->second <= 0) reaped_credit_ticks_.erase(credit);
    }
    usage_.job_cpu_ticks += new_ticks;
    member->last_ticks = stat.cpu_ticks;
    member->ppid = stat.ppid;
    rss_pages += stat.rss_pages;
  }
  usage_.rss_bytes = rss_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
  return usage_;
}

std::function<std::vector<pid_t>()> fixed_roots(std::vector<pid_t> pids) {
  return [pids = std::move(pids)] { return pids; };
}

}  // namespace erg
