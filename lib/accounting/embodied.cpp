#include "accounting/embodied.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "util/csv.hpp"
#include "util/errors.hpp"

namespace erg {

EmbodiedFactors default_embodied_factors(const std::string& data_dir) {
  const std::string path = data_dir + "/embodied/embodied.csv";
  CsvTable table = read_csv_file(path);
  const int item = table.column("item"), g = table.column("g_co2e_per_hour"), source = table.column("source");
  if (item < 0 || g < 0 || source < 0) throw UsageError(path + ": needs the columns item, g_co2e_per_hour and source");
  EmbodiedFactors factors;
  for (const auto& row : table.rows) {
    if (row.size() <= static_cast<std::size_t>(std::max({item, g, source}))) continue;
    const std::string& text = row[static_cast<std::size_t>(g)];
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || value < 0) continue;
    if (row[static_cast<std::size_t>(item)] == "node") factors.g_per_node_hour = value;
    if (row[static_cast<std::size_t>(item)] == "gpu") {
      factors.g_per_gpu_hour = value;
      factors.source = "default: " + row[static_cast<std::size_t>(source)];
    }
  }
  if (factors.g_per_node_hour <= 0) throw UsageError(path + ": no node row");
  return factors;
}

bool is_gpu_domain(const std::string& name) {
  return name.size() > 3 && name.compare(0, 3, "gpu") == 0 &&
         std::all_of(name.begin() + 3, name.end(), [](unsigned char c) { return std::isdigit(c); });
}

EmbodiedAccount account_embodied(const JobTrace& trace, const std::vector<NodeSummary>& nodes) {
  EmbodiedAccount account;
  const double hours = trace.job.duration_s / 3600;
  for (const auto& node : nodes) {
    double part = 1;
    if (node.share.is_shared() && node.share.node_cpus > 0)
      part = std::clamp(node.share.job_cpus / node.share.node_cpus, 0.0, 1.0);
    account.node_hours += hours * part;
    for (const auto& domain : node.domains)
      if (is_gpu_domain(domain.info.name)) account.gpu_hours += hours;
  }
  account.co2e_g = account.node_hours * trace.carbon.embodied_g_per_node_hour +
                   account.gpu_hours * trace.carbon.embodied_g_per_gpu_hour;
  return account;
}

}  // namespace erg
