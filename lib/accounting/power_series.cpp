#include "accounting/power_series.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "accounting/cumulative_series.hpp"

namespace erg {

PowerGrid power_grid(double duration_s) {
  if (!(duration_s > 0) || !std::isfinite(duration_s)) return {};
  return {duration_s / static_cast<double>(power_series_steps), power_series_steps + 1};
}

std::vector<double> node_power_values(const NodeTrace& node, const std::vector<std::string>& domains, const PowerGrid& grid) {
  std::vector<double> values(domains.size() * grid.points, 0.0);
  for (const auto& domain : node.domains) {
    auto it = std::find(domains.begin(), domains.end(), domain.info.name);
    if (it == domains.end()) continue;
    const std::size_t row = static_cast<std::size_t>(it - domains.begin()) * grid.points;
    CumulativeSeries series(node.time_s, domain.energy_j);
    if (series.empty()) continue;
    // From 0, as the job's energy is: what a node measured before the grid's first point
    // (its counter's own start) is not the job's.
    const double origin_j = series.at(series.first_time_s());
    for (std::size_t k = 0; k < grid.points; ++k)
      values[row + k] = series.at(static_cast<double>(k) * grid.step_s) - origin_j;
  }
  return values;
}

PowerSeries power_series_from(const std::vector<std::string>& domains, const PowerGrid& grid, std::vector<double> values) {
  PowerSeries power;
  if (grid.points == 0 || values.size() != domains.size() * grid.points) return power;
  power.step_s = grid.step_s;
  power.domains = domains;
  for (std::size_t d = 0; d < domains.size(); ++d)
    power.energy_j.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(d * grid.points),
                                values.begin() + static_cast<std::ptrdiff_t>((d + 1) * grid.points));
  return power;
}

PowerSeries power_series_of(const std::vector<NodeTrace>& nodes, double duration_s) {
  const PowerGrid grid = power_grid(duration_s);
  std::set<std::string> names;
  for (const auto& node : nodes)
    for (const auto& domain : node.domains) names.insert(domain.info.name);
  const std::vector<std::string> domains(names.begin(), names.end());
  std::vector<double> sum(domains.size() * grid.points, 0.0);
  for (const auto& node : nodes) {
    auto values = node_power_values(node, domains, grid);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += values[i];
  }
  return power_series_from(domains, grid, std::move(sum));
}

}  // namespace erg
