#include "aggregator/job_outputs.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "report/json_report.hpp"
#include "trace/trace_file.hpp"
#include "util/atomic_file.hpp"
#include "util/json_text.hpp"

namespace erg {

void finish_job_trace(JobTrace& trace) {
  std::sort(trace.nodes.begin(), trace.nodes.end(), [](const NodeTrace& a, const NodeTrace& b) { return a.node < b.node; });
}

std::string trace_path_problem(const std::string& trace_path) {
  std::error_code ec;
  if (std::filesystem::is_directory(trace_path, ec))
    return "cannot write the trace to " + trace_path + ": it is a folder";
  std::filesystem::path folder = std::filesystem::path(trace_path).parent_path();
  if (folder.empty()) folder = ".";
  if (::access(folder.c_str(), W_OK) != 0)
    return "cannot write the trace to " + trace_path + ": " + folder.string() + ": " + std::strerror(errno);
  return "";
}

std::string json_path_for(const std::string& trace_path) {
  std::filesystem::path p(trace_path);
  return p.replace_extension(".json").string();
}

JobReport write_job_outputs(const JobTrace& trace, const std::string& trace_path,
                            const std::optional<FileOwnership>& ownership) {
  JobReport report = make_job_report(trace);
  // The samples at hand go to their node files (an MPI job's node leaders wrote their own).
  std::unordered_map<std::string, NodeSummary*> summary_of;
  for (auto& summary : report.summaries.nodes) summary_of[summary.node] = &summary;
  for (const auto& node : trace.nodes) {
    const std::string link = write_node_file(node, trace_path, trace.job.start_utc, ownership);
    if (auto it = summary_of.find(node.node); it != summary_of.end()) it->second->node_file = link;
  }
  write_trace_file(trace, {report.summaries.nodes, report.summaries.power, trace_summary(report.account)}, trace_path,
                   TraceLayout::linked, ownership);
  write_file_atomically(json_path_for(trace_path), json_text(json_report(report), 2) + "\n", ownership);
  return report;
}

}  // namespace erg
