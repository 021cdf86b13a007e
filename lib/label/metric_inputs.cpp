#include "label/metric_inputs.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "report/json_report.hpp"
#include "trace/trace_file.hpp"
#include "util/csv.hpp"
#include "util/errors.hpp"

namespace erg {

namespace {

std::string exact(double value) { return nlohmann::json(value).dump(); }

void add_value(MetricTable& table, const std::string& model, const std::string& metric, double value) {
  if (std::find(table.metrics.begin(), table.metrics.end(), metric) == table.metrics.end())
    table.metrics.push_back(metric);
  table.values[model][metric] = value;
}

}  // namespace

MetricTable read_metrics_csv(const std::string& path) {
  std::istringstream in(read_input_file(path));
  return parse_metrics_csv(in, path);
}

MetricTable parse_metrics_csv(std::istream& in, const std::string& path) {
  CsvTable csv = parse_csv(in);
  if (csv.header.empty() || csv.header[0] != "name")
    throw UsageError(path + ": the first column must be 'name', then one column per metric");
  if (csv.header.size() < 2) throw UsageError(path + ": no metric columns");
  MetricTable table;
  for (size_t line = 0; line < csv.rows.size(); ++line) {
    const auto& row = csv.rows[line];
    if (row.size() != csv.header.size())
      throw UsageError(path + ": line " + std::to_string(line + 2) + " has " + std::to_string(row.size()) +
                       " cells, the header " + std::to_string(csv.header.size()));
    const std::string& model = row[0];
    if (model.empty()) throw UsageError(path + ": line " + std::to_string(line + 2) + " has no name");
    if (table.values.count(model)) throw UsageError(path + ": model '" + model + "' appears twice");
    table.models.push_back(model);
    table.values[model];
    for (size_t c = 1; c < row.size(); ++c) {
      double value = std::nan("");
      if (!row[c].empty()) {
        char* end = nullptr;
        value = std::strtod(row[c].c_str(), &end);
        // The end of the cell, not the first NUL: "1\0002" is not the number 1.
        if (end == row[c].c_str() || end != row[c].c_str() + row[c].size() || !std::isfinite(value))
          throw UsageError(path + ": line " + std::to_string(line + 2) + ", " + csv.header[c] + ": '" + row[c] +
                           "' is not a finite number");
      }
      add_value(table, model, csv.header[c], value);
    }
  }
  if (table.models.empty()) throw UsageError(path + ": no models");
  return table;
}

void add_job_metrics(MetricTable& table, const std::string& name, const nlohmann::json& report) {
  try {
    table.models.push_back(name);
    table.values[name];
    for (const char* kind : {"inference", "train"}) {
      double energy_j = 0, time_s = 0, items = 0;
      for (const auto& p : report.at("phases")) {
        if (p.at("kind") != kind) continue;
        energy_j += p.at("it_j").get<double>();
        time_s += p.at("duration_s").get<double>();
        items += p.at("items").get<double>();
      }
      std::string prefix = std::string(kind) == "inference" ? "inference" : "train";
      add_value(table, name, prefix + "_power_draw", items > 0 ? energy_j / items : std::nan(""));
      add_value(table, name, prefix + "_time", items > 0 ? time_s / items : std::nan(""));
    }
    double duration_s = report.at("duration_s").get<double>();
    add_value(table, name, "power_draw_w",
              duration_s > 0 ? report.at("energy").at("it_j").get<double>() / duration_s : std::nan(""));
    add_value(table, name, "co2e_g", report.at("co2e_g").get<double>());
    for (const auto& m : report.at("metrics")) {
      add_value(table, name, m.at("name").get<std::string>(), m.at("value").get<double>());
      if (m.at("higher_is_better").get<bool>()) table.higher_is_better.insert(m.at("name").get<std::string>());
    }
    auto& facts = table.facts[name];
    facts["energy_kwh"] = exact(report.at("energy").at("it_kwh").get<double>());
    facts["co2e_g"] = exact(report.at("co2e_g").get<double>());
    facts["duration_s"] = exact(duration_s);
    facts["nodes"] = std::to_string(report.at("job").at("n_nodes").get<int>());
    facts["ranks"] = std::to_string(report.at("job").at("n_ranks").get<int>());
    facts["region"] = report.at("site").at("region").get<std::string>();
    facts["pue"] = exact(report.at("site").at("pue").get<double>());
    // Shown on the label where the summary has it; older summaries may not.
    if (auto factor = report.at("site").value("emission_factor_g_per_kwh", nlohmann::json()); factor.is_number())
      facts["emission_factor_g_per_kwh"] = exact(factor.get<double>());
    std::string task;
    for (const auto& p : report.at("phases")) {
      std::string kind = p.at("kind").get<std::string>();
      if (task.find(kind) == std::string::npos) task += (task.empty() ? "" : ", ") + kind;
    }
    facts["task"] = task.empty() ? "job" : task;
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(name + ": not an erg JSON summary (" + std::string(e.what()) + ")");
  }
}

MetricTable read_job_metrics(const std::vector<std::string>& paths) {
  MetricTable table;
  for (const auto& path : paths) {
    std::string name = std::filesystem::path(path).stem().string();
    if (table.values.count(name)) name = path;  // two job.h5 in different folders
    nlohmann::json report;
    if (std::filesystem::path(path).extension() == ".json") {
      std::string text = read_input_file(path);
      try {
        report = nlohmann::json::parse(text);
      } catch (const nlohmann::json::exception&) {
        throw UsageError(path + ": not valid JSON");
      }
    } else {
      JobTrace trace = read_trace_file(path);
      report = json_report(make_job_report(trace));
    }
    add_job_metrics(table, name, report);
  }
  return table;
}

}  // namespace erg
