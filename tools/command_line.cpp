#include "command_line.hpp"

#include <fstream>
#include <iostream>

#include "spool/spool_directory.hpp"
#include "util/errors.hpp"

namespace erg::tools {

bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        po::options_description own, po::variables_map& vm,
                        const po::positional_options_description* positional, SiteSettings site) {
  own.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(own).add(site_options());
  try {
    po::command_line_parser parser(args);
    parser.options(all);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), vm);
  } catch (const po::error& e) {
    throw UsageError(describe_option_error(e) + " (see --help)");
  }
  if (vm.count("help")) {
    std::cout << "usage: " << usage << "\n\n" << all << "\n";
    return false;
  }
  if (site == SiteSettings::from_everywhere) add_environment_and_site_file(vm);
  return true;
}

std::string checked_format(const po::variables_map& vm, const std::vector<std::string>& allowed) {
  std::string format = vm.count("format") ? vm["format"].as<std::string>() : allowed.front();
  for (const auto& a : allowed)
    if (a == format) return format;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
  throw UsageError("--format must be one of " + list + ", not '" + format + "'");
}

std::string spool_job_id(const po::variables_map& vm, const Settings& settings) {
  if (!vm.count("job")) throw UsageError("--job ID is needed");
  if (settings.spool.empty())
    throw UsageError("no spool directory: --spool DIR, ERG_SPOOL, or spool = DIR in the site file");
  return spool::checked_name("job id", vm["job"].as<std::string>());
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream out(path);
  out << text;
  if (!out) throw UsageError("cannot write " + path);
}

}  // namespace erg::tools
