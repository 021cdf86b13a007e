#include "accounting/emission_factors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "report/json_report.hpp"
#include "report/text_report.hpp"
#include "trace/trace_file.hpp"
#include "util/errors.hpp"

namespace erg::tools {

int command_report(const Arguments& args) {
  po::options_description own("erg report");
  own.add_options()
      ("trace", po::value<std::string>(), "the job's HDF5 trace")
      ("format", po::value<std::string>(), "text or json")
      ("output,o", po::value<std::string>(), "write to FILE instead of stdout");
  po::positional_options_description positional;
  positional.add("trace", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "erg report TRACE.h5 [--format text|json] [-o FILE]", own, vm, &positional)) return 0;
  std::string format = checked_format(vm, {"text", "json"});
  if (!vm.count("trace")) throw UsageError("no trace given: erg report TRACE.h5");
  Settings settings = settings_from(vm);

  JobTrace trace = read_trace_file(vm["trace"].as<std::string>());
  // What-if: settings given now replace the ones recorded; the file is not changed.
  trace.carbon = override_carbon(trace.carbon, settings, resolve_data_dir(settings));
  JobAccount account = account_job(trace);
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (format == "json") write_output(output, json_report(trace, account).dump(2) + "\n");
  else write_output(output, text_report(trace, account));
  return 0;
}

}  // namespace erg::tools
