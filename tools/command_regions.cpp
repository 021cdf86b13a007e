#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "accounting/emission_factors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "util/number_format.hpp"
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
  std::vector<RegionFactor> shown;
  for (const auto& r : load_regions(resolve_data_dir(settings)))
    if (search.empty() || to_lower(r.region + " " + r.name).find(search) != std::string::npos) shown.push_back(r);
  // Columns as wide as their longest cell; the factor as every report shows it
  // (format_intensity), right-aligned to compare down the list.
  size_t region_w = 0, factor_w = 0, year_w = 0;
  for (const auto& r : shown) {
    region_w = std::max(region_w, r.region.size());
    factor_w = std::max(factor_w, format_intensity(r.g_per_kwh).size());
    year_w = std::max(year_w, r.year.size());
  }
  for (const auto& r : shown) {
    std::string factor = format_intensity(r.g_per_kwh);
    std::cout << r.region << std::string(region_w - r.region.size() + 2 + factor_w - factor.size(), ' ') << factor
              << "  " << r.year << std::string(year_w - r.year.size() + 2, ' ') << r.name << ", " << r.source << "\n";
  }
  return 0;
}

}  // namespace erg::tools
