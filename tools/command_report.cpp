#include "accounting/emission_factors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "report/html_report.hpp"
#include "report/json_report.hpp"
#include "report/markdown_report.hpp"
#include "report/text_report.hpp"
#include "trace/trace_file.hpp"
#include "util/errors.hpp"

namespace erg::tools {

int command_report(const Arguments& args) {
  po::options_description own("erg report");
  own.add_options()
      ("trace", po::value<std::string>(), "the job's HDF5 trace")
      ("format", po::value<std::string>(), "text, md, json or html")
      ("output,o", po::value<std::string>(), "write to FILE instead of stdout")
      ("inferences", po::value<double>(), "lifetime inferences e of the life-cycle projection (default: those measured)");
  po::positional_options_description positional;
  positional.add("trace", 1);
  po::variables_map vm;
  // A trace keeps the settings it was accounted with; only what is given here changes them (what-if).
  if (!parse_command_line(args, "erg report TRACE.h5 [--format text|md|json|html] [-o FILE] [--inferences N]", own,
                          vm, &positional, SiteSettings::command_line_only))
    return 0;
  std::string format = checked_format(vm, {"text", "md", "json", "html"});
  if (!vm.count("trace")) throw UsageError("no trace given: erg report TRACE.h5");
  Settings settings = settings_from(vm);
  std::optional<double> inferences;
  if (vm.count("inferences")) inferences = checked_number("inferences", vm["inferences"].as<double>(), 0, 1e18);

  JobTrace trace = read_trace_file(vm["trace"].as<std::string>());
  trace.carbon = override_carbon(trace.carbon, settings, resolve_data_dir(settings));
  JobReport report = make_job_report(trace, inferences);
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (format == "json") write_output(output, json_report(report).dump(2) + "\n");
  else if (format == "md") write_output(output, markdown_report(report));
  else if (format == "html") write_output(output, html_report(report));
  else write_output(output, text_report(report));
  return 0;
}

}  // namespace erg::tools
