#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "label/model_labels.hpp"

namespace erg {

// A CSV of metrics: first column `name`, then one column per metric; an empty cell is missing.
// Throws UsageError for a malformed file (no name column, a cell that is not a number, ...).
MetricTable read_metrics_csv(const std::string& path);
MetricTable parse_metrics_csv(std::istream& in, const std::string& name);

// Jobs from their traces (.h5) or JSON summaries (.json), each a model named after its file.
// Metrics: inference_power_draw and inference_time (J and s per inference item),
// train_power_draw and train_time (J and s per training item), power_draw_w (mean IT
// power), co2e_g, and the job's own metrics (erg_metric).
MetricTable read_job_metrics(const std::vector<std::string>& paths);

// The same from one job's JSON report (erg report --format json).
void add_job_metrics(MetricTable& table, const std::string& name, const nlohmann::json& report);

}  // namespace erg
