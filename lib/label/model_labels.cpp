#include "label/model_labels.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "util/csv.hpp"
#include "util/errors.hpp"

namespace erg {

namespace {

nlohmann::json read_json_file(const std::string& path) {
  std::string text = read_input_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
}

}  // namespace

LabelSettings default_label_settings(const std::string& data_dir) {
  LabelSettings settings;
  settings.boundaries = data_dir + "/labels/imagenet_boundaries.json";
  settings.weights = data_dir + "/labels/imagenet_weighting.json";
  return settings;
}

std::map<std::string, std::vector<double>> read_boundaries_file(const std::string& path) {
  std::map<std::string, std::vector<double>> boundaries;
  auto json = read_json_file(path);
  if (!json.is_object()) throw UsageError(path + ": boundaries must be an object {metric: [c1, c2, c3, c4]}");
  for (const auto& [metric, cuts] : json.items()) {
    if (!cuts.is_array() || cuts.size() != 4)
      throw UsageError(path + ": " + metric + " needs four cut points [c1, c2, c3, c4]");
    std::vector<double> values;
    for (const auto& c : cuts) {
      if (!c.is_number() || !std::isfinite(c.get<double>())) throw UsageError(path + ": " + metric + ": cut points must be numbers");
      values.push_back(c.get<double>());
    }
    for (size_t i = 1; i < 4; ++i)
      if (values[i] > values[i - 1]) throw UsageError(path + ": " + metric + ": cut points must go from best to worst (c1 >= c2 >= c3 >= c4)");
    boundaries[metric] = values;
  }
  return boundaries;
}

std::map<std::string, double> read_weights_file(const std::string& path) {
  std::map<std::string, double> weights;
  auto json = read_json_file(path);
  if (!json.is_object()) throw UsageError(path + ": weights must be an object {metric: weight}");
  for (const auto& [metric, w] : json.items()) {
    if (!w.is_number() || !std::isfinite(w.get<double>()) || w.get<double>() < 0)
      throw UsageError(path + ": the weight of " + metric + " must be a number >= 0");
    weights[metric] = w.get<double>();
  }
  return weights;
}

std::vector<ModelLabel> label_models(const MetricTable& table, const LabelSettings& settings,
                                     std::vector<std::string>& warnings) {
  if (!table.values.count(settings.reference)) {
    std::string known;
    for (const auto& m : table.models) known += (known.empty() ? "" : ", ") + m;
    throw UsageError("reference '" + settings.reference + "' is not among the models (" + known + ")");
  }
  const auto& reference = table.values.at(settings.reference);
  auto higher_better = [&](const std::string& metric) {
    return settings.higher_better.count(metric) > 0 || table.higher_is_better.count(metric) > 0;
  };
  auto value_of = [&](const std::string& model, const std::string& metric) {
    const auto& row = table.values.at(model);
    auto it = row.find(metric);
    return it == row.end() ? std::nan("") : it->second;
  };

  const bool quantiles = settings.boundaries == "quantiles";
  std::map<std::string, std::vector<double>> cuts;
  if (!quantiles) cuts = read_boundaries_file(settings.boundaries);
  std::map<std::string, double> weights;
  if (!settings.weights.empty()) weights = read_weights_file(settings.weights);

  std::vector<std::string> rated;
  for (const auto& metric : table.metrics) {
    if (!quantiles && !cuts.count(metric)) {
      warnings.push_back("metric '" + metric + "' has no cut points in " + settings.boundaries + "; not rated");
      continue;
    }
    double ref = value_of(settings.reference, metric);
    if (!std::isfinite(ref))
      throw UsageError("the reference '" + settings.reference + "' has no value for metric '" + metric + "'");
    rated.push_back(metric);
  }
  if (quantiles) {
    for (const auto& metric : rated) {
      std::vector<double> indices;
      for (const auto& model : table.models)
        indices.push_back(relative_index(value_of(model, metric), reference.at(metric), higher_better(metric)));
      cuts[metric] = quantile_cuts(indices);
    }
  }

  std::vector<ModelLabel> labels;
  for (const auto& model : table.models) {
    ModelLabel label{model, Rating::E, {}, {}};
    std::vector<WeightedRating> ratings;
    for (const auto& metric : table.metrics) {
      if (std::find(rated.begin(), rated.end(), metric) == rated.end()) {
        label.unrated.push_back(metric);
        continue;
      }
      double value = value_of(model, metric);
      double index = relative_index(value, reference.at(metric), higher_better(metric));
      Rating rating = rate_index(index, cuts.at(metric));
      label.metrics[metric] = {value, index, rating};
      ratings.push_back({rating, weights.count(metric) ? weights.at(metric) : 1.0});
    }
    label.label = compound_rating(ratings, settings.mode);
    labels.push_back(std::move(label));
  }
  return labels;
}

}  // namespace erg
