#include "aggregator/job_outputs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "report/json_report.hpp"
#include "trace/trace_file.hpp"

namespace erg {

void finish_job_trace(JobTrace& trace) {
  std::sort(trace.nodes.begin(), trace.nodes.end(), [](const NodeTrace& a, const NodeTrace& b) { return a.node < b.node; });
}

std::string json_path_for(const std::string& trace_path) {
  std::filesystem::path p(trace_path);
  return p.replace_extension(".json").string();
}

JobReport write_job_outputs(const JobTrace& trace, const std::string& trace_path) {
  JobReport report = make_job_report(trace);
  write_trace_file(trace, report.account, trace_path);
  std::string json_path = json_path_for(trace_path);
  std::ofstream json(json_path);
  json << json_report(report).dump(2) << "\n";
  if (!json) throw std::runtime_error("cannot write " + json_path);
  return report;
}

}  // namespace erg
