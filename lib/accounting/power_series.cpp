#include "accounting/power_series.hpp"

#include <algorithm>
#include <cmath>

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

void PowerSeriesSum::add(const NodeTrace& node) {
  std::vector<std::string> names;
  for (const auto& d : node.domains) names.push_back(d.info.name);
  const auto values = node_power_values(node, names, grid_);
  for (std::size_t d = 0; d < names.size(); ++d) {
    auto& sum = sum_j_.try_emplace(names[d], grid_.points, 0.0).first->second;
    for (std::size_t k = 0; k < grid_.points; ++k) sum[k] += values[d * grid_.points + k];
  }
}

PowerSeries PowerSeriesSum::series() const {
  std::vector<std::string> domains;
  std::vector<double> values;
  for (const auto& [name, sum] : sum_j_) {
    domains.push_back(name);
    values.insert(values.end(), sum.begin(), sum.end());
  }
  return power_series_from(domains, grid_, std::move(values));
}

PowerSeries power_series_of(const std::vector<NodeTrace>& nodes, double duration_s) {
  PowerSeriesSum sum(power_grid(duration_s));
  for (const auto& node : nodes) sum.add(node);
  return sum.series();
}

}  // namespace erg
