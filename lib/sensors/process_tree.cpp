#include "sensors/process_tree.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>

#include "util/file_descriptor.hpp"

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
  std::istringstream in(text.substr(close + 1));
  std::string state;
  std::vector<double> f(22, 0.0);  // fields 4..25 of proc(5)
  in >> state;
  for (auto& x : f) in >> x;
  if (!in) return false;
  out.ppid = static_cast<pid_t>(f[0]);
  out.cpu_ticks = f[10] + f[11] + f[12] + f[13];  // utime stime cutime cstime
  out.rss_pages = f[20];
  return true;
}

double system_ticks(const std::string& proc_root) {
  auto text = read_text_file(proc_root + "/stat");
  if (!text) return 0;
  std::istringstream in(*text);
  std::string label;
  in >> label;
  double total = 0, value;
  // user nice system idle iowait irq softirq steal; guest time is already inside user
  for (int i = 0; i < 8 && (in >> value); ++i) total += value;
  return total;
}

}  // namespace

ProcessTree::ProcessTree(std::function<std::vector<pid_t>()> roots, std::string proc_root)
    : roots_(std::move(roots)), proc_root_(std::move(proc_root)) {}

const ProcessTree::Usage& ProcessTree::usage_at(double time_s) {
  if (time_s == scanned_at_s_) return usage_;
  scanned_at_s_ = time_s;

  std::map<pid_t, ProcStat> all;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(proc_root_.c_str()), closedir);
  if (dir) {
    while (dirent* entry = readdir(dir.get())) {
      char* end = nullptr;
      long pid = std::strtol(entry->d_name, &end, 10);
      if (*end != '\0' || pid <= 0) continue;
      auto text = read_text_file(proc_root_ + "/" + entry->d_name + "/stat");
      ProcStat stat;
      if (text && parse_stat(*text, stat)) all[static_cast<pid_t>(pid)] = stat;
    }
  }
  std::vector<pid_t> frontier = roots_();
  std::vector<pid_t> in_tree;
  while (!frontier.empty()) {
    pid_t pid = frontier.back();
    frontier.pop_back();
    if (!all.count(pid) || std::find(in_tree.begin(), in_tree.end(), pid) != in_tree.end()) continue;
    in_tree.push_back(pid);
    for (const auto& [child, stat] : all)
      if (stat.ppid == pid) frontier.push_back(child);
  }
  double ticks = 0, rss_pages = 0;
  for (pid_t pid : in_tree) {
    ticks += all[pid].cpu_ticks;
    rss_pages += all[pid].rss_pages;
  }
  // Processes that exit unreaped take their ticks with them: hold the count, never go back.
  usage_.job_cpu_ticks = std::max(usage_.job_cpu_ticks, ticks);
  usage_.system_cpu_ticks = system_ticks(proc_root_);
  usage_.rss_bytes = rss_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
  return usage_;
}

std::function<std::vector<pid_t>()> fixed_roots(std::vector<pid_t> pids) {
  return [pids = std::move(pids)] { return pids; };
}

}  // namespace erg
