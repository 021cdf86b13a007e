// Aggregation at scale without a cluster: synthetic node traces (SECONDS of samples at 1 s,
// 4 domains each) through the aggregator into HDF5 and JSON, then read back and reported as
// `erg report --format json` does. Prints the times of each step and the peak memory.
//   erg_bench_aggregate NODES [SECONDS] [OUT.h5]
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "aggregator/job_outputs.hpp"
#include "report/json_report.hpp"
#include "trace/trace_file.hpp"

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  int nodes = argc > 1 ? std::atoi(argv[1]) : 16;
  int seconds = argc > 2 ? std::atoi(argv[2]) : 3600;
  std::string out = argc > 3 ? argv[3] : "/tmp/erg-bench-aggregate.h5";

  auto t0 = std::chrono::steady_clock::now();
  erg::JobTrace trace;
  trace.job.job_id = "bench";
  trace.job.n_ranks = nodes * 4;
  trace.job.duration_s = seconds;
  trace.interval_s = 1;
  for (int n = 0; n < nodes; ++n) {
    erg::NodeTrace node;
    node.node = "node" + std::to_string(n);
    node.time_s.resize(static_cast<size_t>(seconds) + 1);
    for (int i = 0; i <= seconds; ++i) node.time_s[static_cast<size_t>(i)] = i;
    for (const char* domain : {"cpu", "dram", "gpu0", "gpu1"}) {
      erg::DomainSeries series{{domain, "rapl", ""}, std::vector<double>(node.time_s.size())};
      double power_w = 100 + n % 7 + std::strlen(domain);
      for (size_t i = 0; i < series.energy_j.size(); ++i) series.energy_j[i] = power_w * static_cast<double>(i);
      node.domains.push_back(std::move(series));
    }
    trace.nodes.push_back(std::move(node));
  }
  trace.phases = {{"train", "train", 0.1 * seconds, 0.8 * seconds, 1000000}};
  double make_s = since(t0);

  auto t1 = std::chrono::steady_clock::now();
  erg::finish_job_trace(trace);
  erg::write_job_outputs(trace, out);
  double write_s = since(t1);
  trace = erg::JobTrace{};  // what `erg report` holds is measured without the writer's copy

  auto t2 = std::chrono::steady_clock::now();
  erg::JobTrace back = erg::read_trace_file(out);
  std::string json = erg::json_report(erg::make_job_report(back)).dump();
  double report_s = since(t2);

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("{\"nodes\": %d, \"samples_per_node\": %d, \"make_s\": %.3f, \"aggregate_write_s\": %.3f, "
              "\"read_and_report_s\": %.3f, \"peak_rss_mb\": %.1f, \"file_mb\": %.1f}\n",
              nodes, seconds + 1, make_s, write_s, report_s, usage.ru_maxrss / 1024.0,
              static_cast<double>(std::filesystem::file_size(out)) / 1e6);
  if (argc <= 3) {  // an OUT given by the caller is kept for it to report on
    std::remove(out.c_str());
    std::remove(erg::json_path_for(out).c_str());
  }
  return json.empty();
}
