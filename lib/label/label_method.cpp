#include "label/label_method.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/errors.hpp"

namespace erg {

char rating_letter(Rating r) { return static_cast<char>('A' + static_cast<int>(r)); }

double relative_index(double value, double reference, bool higher_is_better) {
  double numerator = higher_is_better ? value : reference, denominator = higher_is_better ? reference : value;
  if (!std::isfinite(value) || !std::isfinite(reference)) return std::numeric_limits<double>::quiet_NaN();
  if (denominator == 0)
    return numerator == 0 ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  return numerator / denominator;
}

Rating rate_index(double index, const std::vector<double>& cuts) {
  if (std::isnan(index)) return Rating::E;
  for (size_t i = 0; i < cuts.size() && i < 4; ++i)
    if (index > cuts[i]) return static_cast<Rating>(i);
  return Rating::E;
}

CompoundMode parse_compound_mode(const std::string& text) {
  if (text == "optimistic-median") return CompoundMode::optimistic_median;
  if (text == "median") return CompoundMode::median;
  if (text == "mean") return CompoundMode::mean;
  throw UsageError("--compound must be optimistic-median, median or mean, not '" + text + "'");
}

Rating compound_rating(std::vector<WeightedRating> ratings, CompoundMode mode) {
  double total = 0;
  for (const auto& r : ratings) total += r.weight;
  if (ratings.empty() || !(total > 0)) throw UsageError("no rated metric with a positive weight to make a label from");
  for (auto& r : ratings) r.weight /= total;
  std::stable_sort(ratings.begin(), ratings.end(),
                   [](const WeightedRating& a, const WeightedRating& b) { return a.rating < b.rating; });

  if (mode == CompoundMode::mean) {
    double mean = 0;
    for (const auto& r : ratings) mean += r.weight * static_cast<int>(r.rating);
    return static_cast<Rating>(std::clamp(static_cast<int>(std::floor(mean + 1e-9)), 0, 4));
  }
  constexpr double tolerance = 1e-9;  // normalised weights rarely add up to exactly 0.5 in binary
  double cumulative = 0;
  for (size_t i = 0; i < ratings.size(); ++i) {
    cumulative += ratings[i].weight;
    bool half = std::fabs(cumulative - 0.5) <= tolerance;
    if (mode == CompoundMode::median) {
      if (half || cumulative > 0.5) return ratings[i].rating;
      continue;
    }
    if (half) {
      int here = static_cast<int>(ratings[i].rating);
      int next = i + 1 < ratings.size() ? static_cast<int>(ratings[i + 1].rating) : here;
      return static_cast<Rating>((here + next) / 2);  // integer division rounds towards A
    }
    if (cumulative > 0.5) return ratings[i == 0 ? 0 : i - 1].rating;
  }
  return ratings.back().rating;
}

std::vector<double> quantile_cuts(std::vector<double> indices) {
  indices.erase(std::remove_if(indices.begin(), indices.end(), [](double x) { return !std::isfinite(x); }),
                indices.end());
  std::sort(indices.begin(), indices.end());
  std::vector<double> cuts;
  if (indices.empty()) return {1, 1, 1, 1};
  for (double q : {0.8, 0.6, 0.4, 0.2}) {
    double position = q * static_cast<double>(indices.size() - 1);
    size_t lo = static_cast<size_t>(std::floor(position));
    size_t hi = std::min(lo + 1, indices.size() - 1);
    cuts.push_back(indices[lo] + (indices[hi] - indices[lo]) * (position - static_cast<double>(lo)));
  }
  return cuts;
}

}  // namespace erg
