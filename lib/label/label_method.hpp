#pragma once
#include <optional>
#include <string>
#include <vector>

namespace erg {

// The unified energy-efficiency labels of Fischer, Jakobs, Mücke and Morik (ECML-PKDD
// SoGood 2022): metrics become indices relative to a reference, indices become A-E ratings
// through four cut points, and the ratings of a model become one label.

enum class Rating { A = 0, B, C, D, E };

char rating_letter(Rating r);

// index = reference / value when lower is better, value / reference when higher is better.
// NaN when it is undefined (0 / 0, a missing value); +inf for a zero value of a lower-is-better metric.
double relative_index(double value, double reference, bool higher_is_better);

// cuts: c1 > c2 > c3 > c4. A when index > c1, B when c2 < index <= c1, ..., E otherwise;
// an index exactly on a cut gets the worse class; NaN (missing) is E.
Rating rate_index(double index, const std::vector<double>& cuts);

enum class CompoundMode { optimistic_median, median, mean };
CompoundMode parse_compound_mode(const std::string& text);  // throws UsageError

struct WeightedRating {
  Rating rating;
  double weight;
};

// The final label from the per-metric ratings (weights normalised to sum 1):
// - optimistic_median: ratings sorted best first with cumulative weights; at the first
//   position where the cumulative weight is exactly 0.5, the mean of that rating and the
//   next, rounded towards the better class; at the first position where it exceeds 0.5,
//   the rating one position before (the first rating at the first position);
// - median: the rating at the first position where the cumulative weight reaches 0.5;
// - mean: the weighted mean of the ratings, rounded towards the better class.
// Throws UsageError when there is no rating or the weights add up to 0.
Rating compound_rating(std::vector<WeightedRating> ratings, CompoundMode mode);

// Cut points from the indices of a set of models: their 0.8, 0.6, 0.4 and 0.2 quantiles
// (linear interpolation between order statistics, as numpy's default).
std::vector<double> quantile_cuts(std::vector<double> indices);

}  // namespace erg
