#pragma once
#include <optional>
#include <string>
#include <vector>

#include "trace/job_trace.hpp"

namespace erg {

// Operational carbon when the grid's intensity varies in time (docs/accounting.md): the
// facility energy of each stretch of time times the intensity then. Where a series (erg
// --intensity) has no value, the emission factor (region, mix, or given) holds.
class GridCarbon {
 public:
  explicit GridCarbon(const CarbonSettings& carbon);
  bool varies() const { return !series_.empty(); }

  // gCO2e of facility_energy_j spent evenly over [from_unix_s, to_unix_s]; the part of it
  // outside the series is added to uncovered_facility_j.
  double co2e_g(double facility_energy_j, double from_unix_s, double to_unix_s, double& uncovered_facility_j) const;

  // The integral of the intensity over [from, to], in g/kWh x s (the emission factor where
  // the series has no value), and the seconds of it the series covers.
  double integral(double from_unix_s, double to_unix_s) const;
  double covered_s(double from_unix_s, double to_unix_s) const;

  double series_start_unix_s() const { return series_.start_unix_s.front(); }
  double series_end_unix_s() const { return series_.end_unix_s.back(); }
  const std::vector<double>& step_bounds_unix_s() const { return bounds_; }

 private:
  // Walks the stretches between bounds that [from, to] overlaps: f(seconds, g_per_kwh, in_series).
  template <typename F>
  void walk(double from_unix_s, double to_unix_s, F f) const;
  GridIntensity series_;
  double fallback_g_per_kwh_;
  std::vector<double> bounds_;         // every step's start and end, sorted, once each
  std::vector<double> rate_g_per_kwh_;  // between bounds_[i] and bounds_[i + 1]
  std::vector<bool> in_series_;         // false: a gap of the series
};

// For an intensity series given to a command: "" when it covers some of [from, to], else
// why it is of no use (bad input, exit 2).
std::string intensity_coverage_problem(const CarbonSettings& carbon, double from_unix_s, double to_unix_s);

// The start within the series at which the same facility energy profile (energy per bin of
// bin_s seconds, from the job's start) would have emitted least, and what it would have
// emitted. Tried: every step bound as a start and as an end, within the series. nullopt when
// the series does not cover more than the job.
struct BestStart {
  double start_unix_s = 0;
  double co2e_g = 0;
};
std::optional<BestStart> best_start(const GridCarbon& grid, const std::vector<double>& facility_energy_j_per_bin,
                                    double bin_s);

}  // namespace erg
