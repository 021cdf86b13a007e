#include "label/label_method.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "label/model_labels.hpp"
#include "util/errors.hpp"

namespace erg {

namespace {

const std::vector<double> cuts = {2.0, 1.5, 1.0, 0.5};
constexpr double inf = std::numeric_limits<double>::infinity();

std::vector<WeightedRating> ratings(std::initializer_list<std::pair<Rating, double>> list) {
  std::vector<WeightedRating> out;
  for (auto [r, w] : list) out.push_back({r, w});
  return out;
}

}  // namespace

TEST(LabelMethod, IndexIsRelativeToTheReference) {
  EXPECT_DOUBLE_EQ(relative_index(2.0, 4.0, false), 2.0);  // half the energy: twice as good
  EXPECT_DOUBLE_EQ(relative_index(0.9, 0.6, true), 1.5);
  EXPECT_EQ(relative_index(0.0, 4.0, false), inf);        // zero energy: best possible
  EXPECT_DOUBLE_EQ(relative_index(0.0, 0.5, true), 0.0);   // zero accuracy: worst
  EXPECT_TRUE(std::isnan(relative_index(0.0, 0.0, false)));
  EXPECT_TRUE(std::isnan(relative_index(std::nan(""), 1.0, false)));
}

TEST(LabelMethod, CutPointsWithTiesGoingToTheWorseClass) {
  EXPECT_EQ(rate_index(2.5, cuts), Rating::A);
  EXPECT_EQ(rate_index(2.0, cuts), Rating::B);  // exactly on c1
  EXPECT_EQ(rate_index(1.5, cuts), Rating::C);
  EXPECT_EQ(rate_index(1.2, cuts), Rating::C);
  EXPECT_EQ(rate_index(1.0, cuts), Rating::D);
  EXPECT_EQ(rate_index(0.5, cuts), Rating::E);  // exactly on c4
  EXPECT_EQ(rate_index(0.0, cuts), Rating::E);
  EXPECT_EQ(rate_index(inf, cuts), Rating::A);
  EXPECT_EQ(rate_index(std::nan(""), cuts), Rating::E);  // missing
}

TEST(LabelMethod, OptimisticMedianOfThePaper) {
  // Exceeding 0.5 at position 3 (cumulative .2 .4 .7): one position before, B.
  EXPECT_EQ(compound_rating(ratings({{Rating::A, 0.2}, {Rating::B, 0.2}, {Rating::C, 0.3}, {Rating::D, 0.3}}),
                            CompoundMode::optimistic_median),
            Rating::B);
  // Exceeding at the first position: the first rating.
  EXPECT_EQ(compound_rating(ratings({{Rating::C, 0.6}, {Rating::E, 0.4}}), CompoundMode::optimistic_median),
            Rating::C);
  // Exactly 0.5 at B: mean of B and the next (D) is C; of B and C is B.5, rounded towards A: B.
  EXPECT_EQ(compound_rating(ratings({{Rating::B, 1}, {Rating::D, 1}}), CompoundMode::optimistic_median), Rating::C);
  EXPECT_EQ(compound_rating(ratings({{Rating::C, 1}, {Rating::B, 1}}), CompoundMode::optimistic_median), Rating::B);
  // Weights are normalised: 0.1 + 0.2 of 0.6 is exactly 0.5 (within floating point).
  EXPECT_EQ(compound_rating(ratings({{Rating::A, 0.1}, {Rating::A, 0.2}, {Rating::E, 0.3}}),
                            CompoundMode::optimistic_median),
            Rating::C);
}

TEST(LabelMethod, PlainMedianAndMean) {
  auto r = ratings({{Rating::A, 0.2}, {Rating::B, 0.2}, {Rating::C, 0.3}, {Rating::D, 0.3}});
  EXPECT_EQ(compound_rating(r, CompoundMode::median), Rating::C);
  // mean = 0.2*1 + 0.3*2 + 0.3*3 = 1.7 -> B (towards the better class)
  EXPECT_EQ(compound_rating(r, CompoundMode::mean), Rating::B);
  EXPECT_THROW(compound_rating({}, CompoundMode::mean), UsageError);
  EXPECT_THROW(compound_rating(ratings({{Rating::A, 0}}), CompoundMode::median), UsageError);
  EXPECT_THROW(parse_compound_mode("average"), UsageError);
}

TEST(LabelMethod, QuantileCutsLikeNumpy) {
  auto q = quantile_cuts({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(q[0], 4.2);
  EXPECT_DOUBLE_EQ(q[1], 3.4);
  EXPECT_DOUBLE_EQ(q[2], 2.6);
  EXPECT_DOUBLE_EQ(q[3], 1.8);
}

TEST(ModelLabels, ReferenceWithoutAMetricIsAnError) {
  MetricTable table;
  table.models = {"ref", "m"};
  table.metrics = {"inference_time"};
  table.values["ref"]["inference_time"] = std::nan("");
  table.values["m"]["inference_time"] = 1.0;
  LabelSettings settings;
  settings.reference = "ref";
  settings.boundaries = "quantiles";
  std::vector<std::string> warnings;
  EXPECT_THROW(label_models(table, settings, warnings), UsageError);
  settings.reference = "nobody";
  EXPECT_THROW(label_models(table, settings, warnings), UsageError);
}

}  // namespace erg
