#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "trace/node_summary.hpp"
#include "trace/node_trace.hpp"

namespace erg {

struct Phase {
  std::string name;
  std::string kind;  // search, train, inference, other
  double start_s = 0;
  double end_s = 0;
  std::uint64_t items = 0;
};

struct Metric {
  std::string name;
  double value = 0;
  bool higher_is_better = false;
};

struct JobInfo {
  std::string job_id;
  std::string job_name;
  std::string user;
  std::string start_utc;  // ISO 8601
  double start_unix_s = 0;  // the same, to align clocks (not in the HDF5 format)
  std::string end_utc;
  double duration_s = 0;
  int n_ranks = 1;
  std::string erg_version;
  std::map<std::string, std::string> extra;  // account, partition, command, ...
  // How the job ended, as its host knows it: completed, failed, cancelled, timeout or
  // unknown; and its exit code (128 + the signal for one killed by a signal; -1: unknown).
  std::string job_state = "unknown";
  int exit_code = -1;
};

// The site's carbon settings as they were applied, with where each figure came from.
// The grid's carbon intensity over time (erg --intensity FILE.csv): step i holds
// g_per_kwh[i] from start_unix_s[i] to end_unix_s[i], steps in order and not overlapping.
// Empty: the emission factor holds for the whole job.
struct GridIntensity {
  std::vector<double> start_unix_s;
  std::vector<double> end_unix_s;
  std::vector<double> g_per_kwh;
  std::string source;  // the file it came from, or what the site file says of it
  bool empty() const { return g_per_kwh.empty(); }
};

struct CarbonSettings {
  double pue = 1.56;
  std::string pue_source;
  double emission_factor_g_per_kwh = 475;  // where (and when) no intensity series covers the job
  std::string emission_factor_source;
  std::string region;
  GridIntensity intensity;
  // Embodied emissions of the hardware (manufacture), charged per hour of its use.
  double embodied_g_per_node_hour = 0;
  double embodied_g_per_gpu_hour = 0;
  std::string embodied_source;
};

// A whole job: what the HDF5 trace holds. Its accounting needs only summaries and power:
// nodes holds samples only where they were at hand (the assembler's own nodes, a packed or
// older trace read whole); a trace read for a report has summaries and no samples.
struct JobTrace {
  JobInfo job;
  CarbonSettings carbon;
  double interval_s = 1;
  std::vector<NodeTrace> nodes;
  std::vector<NodeSummary> summaries;  // in node name order
  PowerSeries power;
  std::vector<Phase> phases;
  std::vector<Metric> metrics;
  std::vector<std::string> notes;
};

}  // namespace erg
