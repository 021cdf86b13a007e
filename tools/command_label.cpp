#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command_line.hpp"
#include "commands.hpp"
#include "label/label_svg.hpp"
#include "label/metric_inputs.hpp"
#include "util/errors.hpp"
#include "util/json_text.hpp"
#include "util/number_format.hpp"

namespace erg::tools {

namespace {

std::set<std::string> split_list(const std::string& text) {
  std::set<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.insert(item);
  return items;
}

nlohmann::json number_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

std::string padded_left(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string text_table(const std::vector<ModelLabel>& labels) {
  std::ostringstream out;
  for (const auto& label : labels) {
    out << label.name << ": label " << rating_letter(label.label) << "\n";
    // Columns as wide as their longest cell, figures right-aligned, in the reports' format.
    size_t metric_w = 6, value_w = 5, index_w = 5;
    for (const auto& [metric, m] : label.metrics) {
      metric_w = std::max(metric_w, metric.size());
      value_w = std::max(value_w, format_metric(m.value).size());
      index_w = std::max(index_w, format_metric(m.index).size());
    }
    auto row = [&](const std::string& metric, const std::string& value, const std::string& index,
                   const std::string& rating) {
      out << "  " << metric << std::string(metric_w - metric.size(), ' ') << "  " << padded_left(value, value_w)
          << "  " << padded_left(index, index_w) << "  " << rating << "\n";
    };
    row("metric", "value", "index", "rating");
    for (const auto& [metric, m] : label.metrics)
      row(metric, format_metric(m.value), format_metric(m.index), std::string(1, rating_letter(m.rating)));
    if (!label.unrated.empty()) {
      out << "  not rated (no cut points):";
      for (const auto& m : label.unrated) out << " " << m;
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace

int command_label(const Arguments& args) {
  po::options_description own("erg label");
  own.add_options()
      ("jobs", po::value<std::vector<std::string>>()->multitoken(), "job traces (.h5) or JSON summaries (.json)")
      ("metrics", po::value<std::string>(), "a CSV of metrics: name, then one column per metric")
      ("reference", po::value<std::string>(), "the model (or job file) the others are compared with")
      ("higher-better", po::value<std::string>(), "metrics where higher is better (default top1_val,top5_val)")
      ("boundaries", po::value<std::string>(), "cut points: a JSON file, or 'quantiles' of the given models "
                                               "(default: the framework's ImageNet cut points)")
      ("weights", po::value<std::string>(), "metric weights, a JSON file (default: the framework's ImageNet weights)")
      ("compound", po::value<std::string>(), "optimistic-median (default), median or mean")
      ("format", po::value<std::string>(), "text, json or svg")
      ("model", po::value<std::string>(), "svg: the model to draw (default: the first that is not the reference)")
      ("output,o", po::value<std::string>(), "write to FILE instead of stdout");
  po::positional_options_description positional;
  positional.add("jobs", -1);
  po::variables_map vm;
  if (!parse_command_line(args,
                          "erg label [JOB.h5|JOB.json ...] [--metrics FILE.csv] --reference NAME "
                          "[--higher-better LIST] [--boundaries FILE|quantiles] [--weights FILE] [--compound MODE] "
                          "[--format text|json|svg]",
                          own, vm, &positional))
    return 0;
  std::string format = checked_format(vm, {"text", "json", "svg"});
  Settings settings = settings_from(vm);
  std::vector<std::string> jobs = vm.count("jobs") ? vm["jobs"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (vm.count("metrics") && !jobs.empty()) throw UsageError("give either --metrics FILE.csv or job files, not both");
  if (!vm.count("metrics") && jobs.empty()) throw UsageError("nothing to label: give job files or --metrics FILE.csv");
  if (!vm.count("reference")) throw UsageError("--reference NAME is needed: the model the others are compared with");

  LabelSettings label_settings = default_label_settings(resolve_data_dir(settings));
  label_settings.reference = vm["reference"].as<std::string>();
  MetricTable table;
  if (vm.count("metrics")) {
    table = read_metrics_csv(vm["metrics"].as<std::string>());
  } else {
    // The reference may be named by its file, given among the jobs or not.
    auto as_file = std::find(jobs.begin(), jobs.end(), label_settings.reference);
    if (as_file == jobs.end() && std::filesystem::exists(label_settings.reference)) {
      jobs.push_back(label_settings.reference);
      as_file = jobs.end() - 1;
    }
    table = read_job_metrics(jobs);
    if (as_file != jobs.end()) label_settings.reference = table.models[static_cast<size_t>(as_file - jobs.begin())];
  }
  if (vm.count("higher-better")) label_settings.higher_better = split_list(vm["higher-better"].as<std::string>());
  if (vm.count("boundaries")) {
    label_settings.boundaries = vm["boundaries"].as<std::string>();
    if (!vm.count("weights")) label_settings.weights.clear();  // the ImageNet weights go with the ImageNet cuts
  }
  if (vm.count("weights")) label_settings.weights = vm["weights"].as<std::string>();
  if (vm.count("compound")) label_settings.mode = parse_compound_mode(vm["compound"].as<std::string>());

  std::vector<std::string> warnings;
  std::vector<ModelLabel> labels = label_models(table, label_settings, warnings);
  for (const auto& w : warnings) std::cerr << "erg label: " << w << "\n";

  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (format == "text") {
    write_output(output, text_table(labels));
  } else if (format == "json") {
    nlohmann::json out;
    out["reference"] = label_settings.reference;
    out["models"] = nlohmann::json::array();
    for (const auto& label : labels) {
      nlohmann::json model = {{"name", label.name}, {"label", std::string(1, rating_letter(label.label))}};
      model["metrics"] = nlohmann::json::object();
      for (const auto& [metric, m] : label.metrics)
        model["metrics"][metric] = {{"value", number_or_null(m.value)},
                                    {"index", number_or_null(m.index)},
                                    {"rating", std::string(1, rating_letter(m.rating))}};
      model["unrated"] = label.unrated;
      out["models"].push_back(model);
    }
    write_output(output, json_text(out, 2) + "\n");
  } else {
    std::string chosen = vm.count("model") ? vm["model"].as<std::string>() : "";
    auto it = std::find_if(labels.begin(), labels.end(), [&](const ModelLabel& l) {
      return chosen.empty() ? l.name != label_settings.reference || labels.size() == 1 : l.name == chosen;
    });
    if (it == labels.end()) throw UsageError("--model '" + chosen + "' is not among the models");
    auto facts = table.facts.count(it->name) ? table.facts.at(it->name) : std::map<std::string, std::string>{};
    write_output(output, label_svg(*it, label_settings.reference, facts));
  }
  return 0;
}

}  // namespace erg::tools
