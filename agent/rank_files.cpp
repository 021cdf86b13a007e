#include "rank_files.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "util/monotonic_clock.hpp"

namespace erg::rank_files {

namespace {

// This process's start on the wall clock: its start in clock ticks after boot
// (/proc/self/stat, field 22) plus the boot time (/proc/stat, btime).
std::optional<double> process_start_unix_s() {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long start_ticks = 0;
  for (int index = 3; fields >> field; ++index)
    if (index == 22) {
      start_ticks = std::stoull(field);
      break;
    }
  std::ifstream proc_stat("/proc/stat");
  std::string key;
  double boot_unix_s = 0;
  while (proc_stat >> key)
    if (key == "btime") {
      proc_stat >> boot_unix_s;
      break;
    }
  long ticks_per_s = ::sysconf(_SC_CLK_TCK);
  if (start_ticks == 0 || boot_unix_s == 0 || ticks_per_s <= 0) return std::nullopt;
  return boot_unix_s + static_cast<double>(start_ticks) / static_cast<double>(ticks_per_s);
}

std::optional<JobMarks> read_marks(const spool::JobSpoolDirectory& folder, const std::string& name) {
  auto text = folder.read_file("marks/" + name, max_marks_bytes);
  if (!text) return std::nullopt;
  try {
    return parse_marks(*text);
  } catch (const std::exception&) {  // being replaced, or not marks: asked again
    return std::nullopt;
  }
}

}  // namespace

std::string name_for(int rank) { return "rank-" + std::to_string(rank) + ".json"; }

std::optional<int> rank_of(const std::string& name) {
  int rank = 0;
  char tail = 0;
  if (std::sscanf(name.c_str(), "rank-%9d.json%c", &rank, &tail) != 1 || name != name_for(rank)) return std::nullopt;
  return rank;
}

double launch_start_unix_s() {
  try {
    if (auto start = process_start_unix_s()) return *start - launch_spread_s;
  } catch (const std::exception&) {  // an unreadable /proc: the clock now, a little less safe
  }
  return unix_now_s() - launch_spread_s;
}

bool has_rank0_marks(const spool::JobSpoolDirectory& folder, double not_before_unix_s) {
  for (const auto& name : folder.list(".json", "marks")) {
    if (name.rfind("agent-", 0) != 0) continue;
    auto marks = read_marks(folder, name);
    if (marks && marks->rank == 0 && marks->start_unix_s >= not_before_unix_s) return true;
  }
  return false;
}

std::optional<JobMarks> read_rank(const spool::JobSpoolDirectory& folder, int rank, double not_before_unix_s) {
  auto marks = read_marks(folder, name_for(rank));
  if (!marks || marks->rank != rank || marks->start_unix_s < not_before_unix_s) return std::nullopt;
  return marks;
}

}  // namespace erg::rank_files
