// Jobs long and wide without a cluster (issue 19): NODES synthetic nodes of HOURS at 1 s
// (4 domains each), through the same calls as erg_finalize (agent/node_reduction.cpp).
//   erg_bench_scale leaders NODES HOURS DIR  every node leader's part, one node after another:
//       summarize its node, write its node file, send its summary (appended to DIR/summaries)
//       and add its power values to the reduction's sum (DIR/power); prints its mean time
//   erg_bench_scale spools NODES HOURS DIR  the same nodes as node spools in DIR (as Slurm's node
//       daemons leave them), for `erg collect DIR` (the spool path)
//   erg_bench_scale rank0 DIR              rank 0's part alone, in a process of its own so that
//       its peak memory is rank 0's: decode every summary, make the record and power series,
//       write DIR/job.h5 and DIR/job.json; prints finalize_s and rank0_peak_rss_mb
#include <fcntl.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <algorithm>
#include <string>

#include "accounting/node_summary.hpp"
#include "accounting/power_series.hpp"
#include "aggregator/job_assembler.hpp"
#include "aggregator/job_outputs.hpp"
#include "node_reduction.hpp"
#include "spool/spool_header.hpp"
#include "spool/spool_writer.hpp"
#include "trace/trace_file.hpp"

namespace {

constexpr double start_unix_s = 1.7e9;
const char* const domains[] = {"cpu", "dram", "gpu0", "gpu1"};

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// The job's phases, as rank 0 broadcasts them: search, train and inference over the hours.
std::vector<erg::Phase> phases(double duration_s) {
  return {{"search", "search", 0.02 * duration_s, 0.1 * duration_s, 1000},
          {"train", "train", 0.1 * duration_s, 0.8 * duration_s, 1000000},
          {"inference", "inference", 0.8 * duration_s, 0.95 * duration_s, 50000}};
}

erg::NodeTrace synthetic_node(int n, int seconds) {
  erg::NodeTrace node;
  node.node = "node" + std::to_string(100000 + n).substr(1);
  node.n_ranks = 4;
  node.sampler_cpu_s = 0.001 * seconds;
  node.cpu_tdp_w = 250;
  node.logical_cpus = 64;
  node.time_s.resize(static_cast<size_t>(seconds) + 1);
  for (int i = 0; i <= seconds; ++i) node.time_s[static_cast<size_t>(i)] = i;
  for (const char* domain : domains) {
    erg::DomainSeries series{{domain, "rapl", ""}, std::vector<double>(node.time_s.size())};
    const double power_w = 100 + n % 7 + std::strlen(domain);
    double energy_j = 0;
    for (size_t i = 0; i < series.energy_j.size(); ++i) {
      series.energy_j[i] = energy_j;
      energy_j += power_w * (1 + 0.1 * std::sin(0.01 * static_cast<double>(i)));
    }
    node.domains.push_back(std::move(series));
  }
  return node;
}

int leaders(int nodes, double hours, const std::string& dir) {
  const int seconds = static_cast<int>(std::lround(hours * 3600));
  const auto job_phases = phases(seconds);
  const erg::PowerGrid grid = erg::power_grid(seconds);
  const std::vector<std::string> names(std::begin(domains), std::end(domains));
  std::vector<double> sum(names.size() * grid.points, 0.0);
  std::ofstream summaries(dir + "/summaries", std::ios::binary);
  erg::JobInfo job;
  job.start_utc = "2023-11-14T22:13:20.000Z";  // start_unix_s, as rank 0's record writes it
  double node_s = 0;
  for (int n = 0; n < nodes; ++n) {
    const erg::NodeTrace node = synthetic_node(n, seconds);
    auto t = std::chrono::steady_clock::now();
    erg::NodeSummary summary = erg::summarize_node(node, job_phases, erg::CarbonSettings{}, erg::job_start_for_carbon(job));
    summary.node_file = erg::write_node_file(node, dir + "/job.h5", job.start_utc);
    const std::string bytes = erg::summary_bytes(summary);
    const auto values = erg::node_power_values(node, names, grid);
    node_s += since(t);
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += values[i];
    const unsigned long long size = bytes.size();
    summaries.write(reinterpret_cast<const char*>(&size), sizeof size).write(bytes.data(), static_cast<std::streamsize>(size));
  }
  std::ofstream(dir + "/power", std::ios::binary)
      .write(reinterpret_cast<const char*>(sum.data()), static_cast<std::streamsize>(sum.size() * sizeof(double)));
  std::printf("{\"nodes\": %d, \"hours\": %g, \"leader_s\": %.4f, \"leader_peak_rss_mb\": %.1f}\n", nodes, hours,
              node_s / std::max(nodes, 1), peak_rss_mb());
  return summaries.good() ? 0 : 1;
}

int spools(int nodes, double hours, const std::string& dir) {
  const int seconds = static_cast<int>(std::lround(hours * 3600));
  erg::JobInfo job;
  job.job_id = "bench-scale";
  for (int n = 0; n < nodes; ++n) {
    const erg::NodeTrace node = synthetic_node(n, seconds);
    erg::NodeTrace before_samples = node;
    before_samples.time_s.clear();
    for (auto& d : before_samples.domains) d.energy_j.clear();
    const std::string path = dir + "/" + node.node + ".spool";
    erg::FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    erg::spool::SpoolWriter writer(std::move(fd));
    writer.write_header(erg::spool::spool_header(before_samples, job, start_unix_s, 1.0));
    std::vector<double> rows;
    for (size_t i = 0; i < node.time_s.size(); ++i) {
      rows.push_back(node.time_s[i]);
      for (const auto& d : node.domains) rows.push_back(d.energy_j[i]);
      if (rows.size() >= 5 * 1000 || i + 1 == node.time_s.size()) {
        writer.write_samples(rows, 5);
        rows.clear();
      }
    }
    writer.write_footer(erg::spool::SpoolFooter{0.001 * seconds, "bench", start_unix_s + seconds, 0});
  }
  return 0;
}

int rank0(const std::string& dir) {
  // What the gather hands rank 0: every leader's bytes at once.
  std::ifstream in(dir + "/summaries", std::ios::binary);
  std::vector<std::string> all;
  unsigned long long size = 0;
  while (in.read(reinterpret_cast<char*>(&size), sizeof size)) {
    std::string bytes(size, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    all.push_back(std::move(bytes));
  }
  auto t = std::chrono::steady_clock::now();
  std::vector<erg::NodeSummary> summaries;
  for (size_t leader = 0; leader < all.size(); ++leader) summaries.push_back(erg::summary_from(all[leader], leader));
  all.clear();
  all.shrink_to_fit();
  double end_s = 0;
  for (const auto& s : summaries) end_s = std::max(end_s, s.last_s);
  erg::JobSources sources;
  erg::JobMarks marks;
  marks.start_unix_s = start_unix_s;
  marks.phases = phases(end_s);
  sources.marks.push_back(marks);
  erg::JobInfo job;
  job.job_id = "bench-scale";
  erg::JobTrace record = erg::assemble_job_record(std::move(sources), job, erg::CarbonSettings{}, start_unix_s, end_s,
                                                  static_cast<int>(summaries.size()) * 4);
  erg::sort_by_node(summaries);
  record.summaries = std::move(summaries);
  // What the reduction hands rank 0: the power values summed over the leaders.
  std::ifstream power(dir + "/power", std::ios::binary);
  const erg::PowerGrid grid = erg::power_grid(end_s);
  std::vector<double> values(std::size(domains) * grid.points);
  power.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(double)));
  record.power = erg::power_series_from({std::begin(domains), std::end(domains)}, grid, std::move(values));
  erg::write_job_outputs(record, dir + "/job.h5");
  const double finalize_s = since(t);
  std::printf("{\"finalize_s\": %.3f, \"rank0_peak_rss_mb\": %.1f}\n", finalize_s, peak_rss_mb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "leaders" && argc == 5) return leaders(std::atoi(argv[2]), std::atof(argv[3]), argv[4]);
  if (mode == "spools" && argc == 5) return spools(std::atoi(argv[2]), std::atof(argv[3]), argv[4]);
  if (mode == "rank0" && argc == 3) return rank0(argv[2]);
  std::fprintf(stderr, "usage: erg_bench_scale leaders NODES HOURS DIR | spools NODES HOURS DIR | rank0 DIR\n");
  return 2;
}
