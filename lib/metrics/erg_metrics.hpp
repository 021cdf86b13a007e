#pragma once
#include <vector>

#include "metrics/exposition.hpp"
#include "metrics/live_readings.hpp"

namespace erg::metrics {

// The metric names of docs/metrics.md (DESIGN.md, "Live metrics"); the Grafana dashboard
// and the sites' alerts use these, so they never change:
inline constexpr const char* node_energy_metric = "erg_node_energy_joules_total";
inline constexpr const char* node_power_metric = "erg_node_power_watts";
inline constexpr const char* job_energy_metric = "erg_job_energy_joules_total";
inline constexpr const char* job_co2e_metric = "erg_job_co2e_grams_total";

// The families of one scrape, from the node's reading and its running jobs'.
std::vector<MetricFamily> erg_metric_families(const NodeReading& node, const std::vector<JobReading>& jobs);

}  // namespace erg::metrics
