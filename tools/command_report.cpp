#include "accounting/emission_factors.hpp"
#include "accounting/grid_carbon.hpp"
#include "accounting/node_summary.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "label/label_svg.hpp"
#include "label/metric_inputs.hpp"
#include "report/html_report.hpp"
#include "report/svg_chart.hpp"
#include "report/json_report.hpp"
#include "report/markdown_report.hpp"
#include "report/text_report.hpp"
#include "trace/trace_file.hpp"
#include "util/errors.hpp"
#include "util/json_text.hpp"
#include "util/utc_date.hpp"

namespace erg::tools {

namespace {

// The efficiency label of this job relative to --reference, for the HTML report.
std::string label_section(const JobReport& report, const po::variables_map& vm, const Settings& settings) {
  if (!vm.count("reference")) return "";
  const std::string reference_path = vm["reference"].as<std::string>();
  MetricTable table = read_job_metrics({reference_path});
  std::string reference = table.models.front();
  std::string self = "this job";
  add_job_metrics(table, self, json_report(report));
  LabelSettings label_settings = default_label_settings(resolve_data_dir(settings));
  label_settings.reference = reference;
  std::vector<std::string> warnings;  // unrated metrics are listed on the label itself
  auto labels = label_models(table, label_settings, warnings);
  const ModelLabel& ours = labels.back();
  std::string unrated;
  for (const auto& m : ours.unrated) unrated += (unrated.empty() ? "" : ", ") + m;
  return "<h2>Efficiency label</h2><div class=\"label\">" + label_svg(ours, reference_path, table.facts[self]) +
         "<p>Relative to " + svg::escape(reference_path) + " (" + std::to_string(ours.metrics.size()) +
         " rated metrics" + (unrated.empty() ? "" : "; not rated: " + svg::escape(unrated)) + ").</p></div>";
}

}  // namespace

int command_report(const Arguments& args) {
  po::options_description own("erg report");
  own.add_options()
      ("trace", po::value<std::string>(), "the job's HDF5 trace")
      ("format", po::value<std::string>(), "text, md, json or html")
      ("output,o", po::value<std::string>(), "write to FILE instead of stdout")
      ("inferences", po::value<double>(), "lifetime inferences e of the life-cycle projection (default: those measured)")
      ("reference", po::value<std::string>(), "html: a reference job (.h5 or .json) for the A-E efficiency label");
  po::positional_options_description positional;
  positional.add("trace", 1);
  po::variables_map vm;
  // A trace keeps the settings it was accounted with; only what is given here changes them (what-if).
  if (!parse_command_line(args, "erg report TRACE.h5 [--format text|md|json|html] [-o FILE] [--inferences N] [--reference JOB]", own,
                          vm, &positional, SiteSettings::command_line_only))
    return 0;
  std::string format = checked_format(vm, {"text", "md", "json", "html"});
  if (!vm.count("trace")) throw UsageError("no trace given: erg report TRACE.h5");
  Settings settings = settings_from(vm);
  std::optional<double> inferences;
  if (vm.count("inferences")) inferences = checked_number("inferences", vm["inferences"].as<double>(), 0, 1e18);

  const std::string path = vm["trace"].as<std::string>();
  JobTrace trace = read_trace_file(path);
  CarbonSettings applied = override_carbon(trace.carbon, settings, resolve_data_dir(settings));
  const bool again = !trace.summaries.empty() && carbon_changes_summaries(trace.carbon, applied);
  if (again) trace = read_trace_file(path, TraceRead::samples);  // the node files too: CO2e summed again
  trace.carbon = std::move(applied);
  if (again) summarize_again(trace);
  if (!settings.intensity.empty()) {
    const auto start = parse_iso8601(trace.job.start_utc);
    if (!start) throw UsageError("--intensity: the trace does not say when the job started, so no series applies to it");
    if (std::string problem = intensity_coverage_problem(trace.carbon, *start, *start + trace.job.duration_s); !problem.empty())
      throw UsageError(problem);
  }
  JobReport report = make_job_report(trace, inferences);
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (format == "json") write_output(output, json_text(json_report(report), 2) + "\n");
  else if (format == "md") write_output(output, markdown_report(report));
  else if (format == "html") write_output(output, html_report(report, label_section(report, vm, settings)));
  else write_output(output, text_report(report));
  return 0;
}

}  // namespace erg::tools
