#include "accounting/emission_factors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>

#include "accounting/embodied.hpp"
#include "accounting/intensity_csv.hpp"
#include "util/csv.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

std::string cell(const CsvTable& t, const std::vector<std::string>& row, const char* name) {
  int i = t.column(name);
  return i >= 0 && static_cast<size_t>(i) < row.size() ? row[static_cast<size_t>(i)] : "";
}

bool parse_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' && std::isfinite(out);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<RegionFactor> load_regions(const std::string& data_dir) {
  std::vector<RegionFactor> regions;
  const std::string dir = data_dir + "/emission_factors/";
  auto countries = read_csv_file(dir + "countries.csv");
  for (const auto& row : countries.rows) {
    double g = 0;
    if (parse_number(cell(countries, row, "g_co2e_per_kwh"), g))
      regions.push_back({cell(countries, row, "iso3"), cell(countries, row, "country"), g,
                         cell(countries, row, "year"),
                         "Our World in Data (Ember, Energy Institute), CC BY 4.0, via CodeCarbon"});
  }
  auto gcp = read_csv_file(dir + "gcp_regions_2024.csv");
  for (const auto& row : gcp.rows) {
    double g = 0;
    if (parse_number(cell(gcp, row, "g_co2e_per_kwh"), g))
      regions.push_back({"gcp:" + cell(gcp, row, "region"), cell(gcp, row, "location"), g, "2024",
                         "Google Cloud region-carbon-info 2024, Apache-2.0"});
  }
  auto cloud = read_csv_file(dir + "cloud_regions_mlco2_impact.csv");
  for (const auto& row : cloud.rows) {
    double g = 0;
    std::string id = cell(cloud, row, "provider") + ":" + cell(cloud, row, "region");
    bool known = std::any_of(regions.begin(), regions.end(), [&](const RegionFactor& r) { return r.region == id; });
    if (!known && parse_number(cell(cloud, row, "impact"), g))
      regions.push_back({id, cell(cloud, row, "city").empty() ? cell(cloud, row, "country") : cell(cloud, row, "city"),
                         g, "2016-2019", "ML CO2 Impact (mlco2/impact), MIT: " + cell(cloud, row, "source")});
  }
  return regions;
}

RegionFactor find_region(const std::string& data_dir, const std::string& region) {
  auto regions = load_regions(data_dir);
  for (const auto& r : regions)
    if (to_lower(r.region) == to_lower(region)) return r;
  std::vector<std::pair<size_t, std::string>> ranked;
  // Region codes are short; the distance to the start of a long bad value ranks as well, and
  // the distance to all of it costs its length times every region (seconds for a megabyte).
  const std::string probe = to_lower(region.substr(0, 64));
  for (const auto& r : regions) {
    size_t d = edit_distance(probe, to_lower(r.region));
    if (to_lower(r.name).find(to_lower(region)) != std::string::npos) d = 0;
    ranked.push_back({d, r.region});
  }
  std::sort(ranked.begin(), ranked.end());
  std::string close;
  for (size_t i = 0; i < std::min<size_t>(5, ranked.size()); ++i) close += (i ? ", " : "") + ranked[i].second;
  throw UsageError("unknown region '" + region + "'; closest: " + close + " (see `erg regions`)");
}

double mix_factor_g_per_kwh(const std::string& data_dir, const std::string& mix) {
  auto fuels = read_csv_file(data_dir + "/emission_factors/fuels.csv");
  std::map<std::string, double> factor;
  for (const auto& row : fuels.rows) {
    double g = 0;
    if (parse_number(cell(fuels, row, "g_co2e_per_kwh"), g)) factor[cell(fuels, row, "fuel")] = g;
  }
  std::vector<std::pair<double, double>> shares;  // share, factor
  double total = 0;
  std::stringstream in(mix);
  for (std::string part; std::getline(in, part, ',');) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    double share = 0;
    if (eq == std::string::npos || !parse_number(part.substr(eq + 1), share) || share < 0)
      throw UsageError("--mix: '" + part + "' is not fuel=share (e.g. coal=25)");
    std::string fuel = part.substr(0, eq);
    if (!factor.count(fuel) || fuel == "world_average") {
      std::string known;
      for (const auto& [name, g] : factor)
        if (name != "world_average") known += (known.empty() ? "" : ", ") + name;
      throw UsageError("--mix: unknown fuel '" + fuel + "'; known: " + known);
    }
    shares.push_back({share, factor[fuel]});
    total += share;
  }
  if (shares.empty() || total <= 0) throw UsageError("--mix is empty: give shares such as coal=25,nuclear=75");
  double scale = std::abs(total - 100) < 0.5 ? 100 : std::abs(total - 1) < 0.005 ? 1 : 0;
  if (scale == 0) {
    std::ostringstream m;
    m << "--mix shares add up to " << total << "; they must add up to 100 (percent) or 1 (fractions)";
    throw UsageError(m.str());
  }
  // One division at the end: percent shares of integer factors stay exact (731.59, not 731.5899...).
  double weighted = 0;
  for (auto [share, f] : shares) weighted += share * f;
  return weighted / total;
}

CarbonSettings override_carbon(const CarbonSettings& recorded, const Settings& s, const std::string& data_dir) {
  CarbonSettings c = recorded;
  if (s.pue) {
    c.pue = *s.pue;
    c.pue_source = "given";
  }
  if (s.emission_factor_g_per_kwh) {
    c.emission_factor_g_per_kwh = *s.emission_factor_g_per_kwh;
    c.emission_factor_source = "given";
    c.region = s.region;
  } else if (!s.mix.empty()) {
    c.emission_factor_g_per_kwh = mix_factor_g_per_kwh(data_dir, s.mix);
    c.emission_factor_source = "electricity mix " + s.mix + " (per-fuel lifecycle factors, data/emission_factors/fuels.csv)";
    c.region = s.region;
  } else if (!s.region.empty()) {
    auto r = find_region(data_dir, s.region);
    c.emission_factor_g_per_kwh = r.g_per_kwh;
    c.emission_factor_source = r.source + ", " + r.year;
    c.region = r.region;
  }
  if (!s.intensity.empty()) c.intensity = read_intensity_csv(s.intensity);
  // A trace from before embodied emissions were counted: erg's defaults, which say so.
  if (c.embodied_source.empty()) {
    const EmbodiedFactors embodied = default_embodied_factors(data_dir);
    c.embodied_g_per_node_hour = embodied.g_per_node_hour;
    c.embodied_g_per_gpu_hour = embodied.g_per_gpu_hour;
    c.embodied_source = embodied.source;
  }
  if (s.embodied_g_per_node_hour) c.embodied_g_per_node_hour = *s.embodied_g_per_node_hour;
  if (s.embodied_g_per_gpu_hour) c.embodied_g_per_gpu_hour = *s.embodied_g_per_gpu_hour;
  if (s.embodied_g_per_node_hour || s.embodied_g_per_gpu_hour) c.embodied_source = "given";
  return c;
}

// A cloud provider's fleet PUE (data/pue/green_algorithms_defaults_pue.csv) for gcp:..., aws:...
std::optional<std::pair<double, std::string>> provider_pue(const std::string& data_dir, const std::string& region) {
  auto colon = region.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string provider = to_lower(region.substr(0, colon));
  try {
    auto table = read_csv_file(data_dir + "/pue/green_algorithms_defaults_pue.csv");
    for (const auto& row : table.rows) {
      double pue = 0;
      if (to_lower(cell(table, row, "provider")) == provider && parse_number(cell(table, row, "PUE"), pue))
        return std::pair{pue, "default for " + provider + " (Green Algorithms: " + cell(table, row, "source") + ")"};
    }
  } catch (const UsageError&) {
  }
  return std::nullopt;
}

CarbonSettings resolve_carbon(const Settings& settings, const std::string& data_dir) {
  CarbonSettings defaults;
  defaults.pue = default_pue;
  defaults.pue_source = "default: Uptime Institute 2024 survey average; Green Algorithms";
  if (auto pue = provider_pue(data_dir, settings.region)) std::tie(defaults.pue, defaults.pue_source) = *pue;
  defaults.emission_factor_g_per_kwh = world_average_g_per_kwh;
  defaults.emission_factor_source = "default: world average (IEA 2019)";
  defaults.region = "";
  return override_carbon(defaults, settings, data_dir);
}

}  // namespace erg
