#include <algorithm>
#include <cstdio>
#include <iostream>

#include "accounting/emission_factors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "util/text.hpp"

namespace erg::tools {

int command_regions(const Arguments& args) {
  po::options_description own("erg regions");
  own.add_options()("search", po::value<std::string>(), "part of a region code or name");
  po::positional_options_description positional;
  positional.add("search", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "erg regions [SEARCH]", own, vm, &positional)) return 0;
  Settings settings = settings_from(vm);
  std::string search = vm.count("search") ? to_lower(vm["search"].as<std::string>()) : "";
  for (const auto& r : load_regions(resolve_data_dir(settings))) {
    if (!search.empty() && to_lower(r.region + " " + r.name).find(search) == std::string::npos) continue;
    char line[512];
    std::snprintf(line, sizeof line, "%-28s %8.1f gCO2e/kWh  %-10s %s (%s)", r.region.c_str(), r.g_per_kwh,
                  r.year.c_str(), r.name.c_str(), r.source.c_str());
    std::cout << line << "\n";
  }
  return 0;
}

}  // namespace erg::tools
