#include "accounting/grid_carbon.hpp"

#include <algorithm>
#include <limits>

#include "util/utc_date.hpp"

namespace erg {

namespace {

constexpr double joules_per_kwh = 3.6e6;

}  // namespace

GridCarbon::GridCarbon(const CarbonSettings& carbon)
    : series_(carbon.intensity), fallback_g_per_kwh_(carbon.emission_factor_g_per_kwh) {
  if (series_.empty()) return;
  for (std::size_t i = 0; i < series_.g_per_kwh.size(); ++i) {
    bounds_.push_back(series_.start_unix_s[i]);
    bounds_.push_back(series_.end_unix_s[i]);
  }
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  // Between two bounds the intensity is one step's, or the fallback in a gap of the series.
  std::size_t step = 0;
  for (std::size_t b = 1; b < bounds_.size(); ++b) {
    const double from = bounds_[b - 1];
    while (step < series_.g_per_kwh.size() && series_.end_unix_s[step] <= from) ++step;
    const bool in_step = step < series_.g_per_kwh.size() && series_.start_unix_s[step] <= from;
    rate_g_per_kwh_.push_back(in_step ? series_.g_per_kwh[step] : fallback_g_per_kwh_);
    in_series_.push_back(in_step);
  }
}

// Each stretch's length is taken from the bounds it lies between, never as a difference of
// running totals: at 1.7e9 s since the epoch those would lose the last digits.
template <typename F>
void GridCarbon::walk(double from, double to, F f) const {
  if (!(to > from)) return;
  if (from < bounds_.front()) f(std::min(to, bounds_.front()) - from, fallback_g_per_kwh_, false);
  std::size_t b = static_cast<std::size_t>(std::upper_bound(bounds_.begin(), bounds_.end(), from) - bounds_.begin());
  for (b = b == 0 ? 1 : b; b < bounds_.size() && bounds_[b - 1] < to; ++b) {
    const double start = std::max(from, bounds_[b - 1]), end = std::min(to, bounds_[b]);
    if (end > start) f(end - start, rate_g_per_kwh_[b - 1], static_cast<bool>(in_series_[b - 1]));
  }
  if (to > bounds_.back()) f(to - std::max(from, bounds_.back()), fallback_g_per_kwh_, false);
}

double GridCarbon::integral(double from, double to) const {
  if (series_.empty()) return (to - from) * fallback_g_per_kwh_;
  double sum = 0;
  walk(from, to, [&](double seconds, double g, bool) { sum += seconds * g; });
  return sum;
}

double GridCarbon::covered_s(double from, double to) const {
  double sum = 0;
  if (!series_.empty()) walk(from, to, [&](double seconds, double, bool in_series) { sum += in_series ? seconds : 0; });
  return sum;
}

double GridCarbon::co2e_g(double facility_energy_j, double from, double to, double& uncovered_facility_j) const {
  // No series, or no time (and so no energy): the emission factor.
  if (series_.empty() || !(to > from)) return facility_energy_j / joules_per_kwh * fallback_g_per_kwh_;
  const double span_s = to - from;
  uncovered_facility_j += facility_energy_j * (1 - covered_s(from, to) / span_s);
  return facility_energy_j / joules_per_kwh * integral(from, to) / span_s;
}

std::string intensity_coverage_problem(const CarbonSettings& carbon, double from, double to) {
  if (carbon.intensity.empty()) return "";
  const GridCarbon grid(carbon);
  if (grid.covered_s(from, std::max(to, from + 1)) > 0) return "";
  return "--intensity " + carbon.intensity.source + " covers " + iso8601_utc(grid.series_start_unix_s()) + " to " +
         iso8601_utc(grid.series_end_unix_s()) + ", none of the job (" + iso8601_utc(from) + " to " + iso8601_utc(to) + ")";
}

std::optional<BestStart> best_start(const GridCarbon& grid, const std::vector<double>& energy_per_bin_j, double bin_s) {
  if (!grid.varies() || energy_per_bin_j.empty() || !(bin_s > 0)) return std::nullopt;
  const double duration_s = bin_s * static_cast<double>(energy_per_bin_j.size());
  const double first = grid.series_start_unix_s(), last = grid.series_end_unix_s();
  if (last - first <= duration_s) return std::nullopt;
  std::vector<double> starts;
  for (double bound : grid.step_bounds_unix_s())
    for (double start : {bound, bound - duration_s})
      if (start >= first && start + duration_s <= last) starts.push_back(start);
  std::optional<BestStart> best;
  for (double start : starts) {
    double co2e = 0;
    for (std::size_t k = 0; k < energy_per_bin_j.size(); ++k) {
      // The mean intensity over the bin as its rounded bounds give it (at 1.7e9 s a bound is
      // off by 2e-7 s): dividing by those same bounds' distance keeps the mean exact.
      const double from = start + static_cast<double>(k) * bin_s, to = from + bin_s;
      co2e += energy_per_bin_j[k] / joules_per_kwh * grid.integral(from, to) / (to - from);
    }
    if (!best || co2e < best->co2e_g - 1e-12 * std::max(1.0, co2e)) best = BestStart{start, co2e};
  }
  return best;
}

}  // namespace erg
