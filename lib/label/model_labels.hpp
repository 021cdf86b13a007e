#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "label/label_method.hpp"

namespace erg {

// Models (or jobs) and their metrics: model -> metric -> value; NaN where a value is missing.
struct MetricTable {
  std::vector<std::string> models;
  std::vector<std::string> metrics;
  std::map<std::string, std::map<std::string, double>> values;
  std::set<std::string> higher_is_better;                        // known from the input (erg_metric)
  std::map<std::string, std::map<std::string, std::string>> facts;  // model -> key figures for the label
};

struct LabelSettings {
  std::string reference;              // a model name of the table
  std::set<std::string> higher_better = {"top1_val", "top5_val"};
  std::string boundaries;             // a JSON file {metric: [c1, c2, c3, c4]}, or "quantiles"
  std::string weights;                // a JSON file {metric: weight}; a metric without one weighs 1
  CompoundMode mode = CompoundMode::optimistic_median;
};

struct MetricRating {
  double value;
  double index;
  Rating rating;
};

struct ModelLabel {
  std::string name;
  Rating label;
  std::map<std::string, MetricRating> metrics;  // the rated ones
  std::vector<std::string> unrated;             // metrics without cut points
};

// Rates every model against the reference. Throws UsageError when the reference is unknown or
// lacks a metric that is rated. Metrics without cut points are left unrated, with a warning.
std::vector<ModelLabel> label_models(const MetricTable& table, const LabelSettings& settings,
                                     std::vector<std::string>& warnings);

// The framework's ImageNet cut points and weights from data/labels/.
LabelSettings default_label_settings(const std::string& data_dir);

std::map<std::string, std::vector<double>> read_boundaries_file(const std::string& path);
std::map<std::string, double> read_weights_file(const std::string& path);

}  // namespace erg
