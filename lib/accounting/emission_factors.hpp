#pragma once
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// One known grid region with its carbon intensity.
struct RegionFactor {
  std::string region;  // DEU, gcp:europe-west3, aws:us-east-1, ...
  std::string name;    // Germany, Frankfurt, ...
  double g_per_kwh = 0;
  std::string year;
  std::string source;
};

// World average (IEA 2019, data/emission_factors/fuels.csv) for a region that is not given.
constexpr double world_average_g_per_kwh = 475;
// Uptime Institute 2024 survey average, the Green Algorithms default for an unknown site.
constexpr double default_pue = 1.56;

// Countries (ISO 3166 alpha-3), Google Cloud regions (2024) and other cloud regions, from data/.
std::vector<RegionFactor> load_regions(const std::string& data_dir);

// Throws UsageError naming the closest matches when the region is unknown.
RegionFactor find_region(const std::string& data_dir, const std::string& region);

// The factor of an electricity mix "coal=25,natural_gas=26,..." (percent, or fractions
// adding up to 1) from the per-fuel factors; throws UsageError for an empty or bad mix.
double mix_factor_g_per_kwh(const std::string& data_dir, const std::string& mix);

// PUE and emission factor from the settings, with the source of each, defaults said so.
CarbonSettings resolve_carbon(const Settings& settings, const std::string& data_dir);

// Applies the settings given explicitly over those recorded in a trace (what-if reports).
CarbonSettings override_carbon(const CarbonSettings& recorded, const Settings& settings, const std::string& data_dir);

}  // namespace erg
