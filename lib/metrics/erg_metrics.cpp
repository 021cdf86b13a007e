#include "metrics/erg_metrics.hpp"

namespace erg::metrics {

std::vector<MetricFamily> erg_metric_families(const NodeReading& node, const std::vector<JobReading>& jobs) {
  MetricFamily node_energy{node_energy_metric,
                           "Energy the node's counters measured since erg exporter started, per domain (joules).",
                           "counter", {}};
  MetricFamily node_power{node_power_metric, "The node's power over the last sampling interval, per domain (watts).",
                          "gauge", {}};
  MetricFamily job_energy{job_energy_metric,
                          "Energy charged to each running job on this node since it started, per domain: its share "
                          "of a shared node's counters (docs/accounting.md) (joules).",
                          "counter", {}};
  MetricFamily job_co2e{job_co2e_metric,
                        "Operational emissions of each running job's energy on this node, with the site's PUE and "
                        "grid intensity (grams CO2e).",
                        "counter", {}};
  for (const auto& d : node.energy_j) node_energy.samples.push_back({{{"node", node.node}, {"domain", d.domain}}, d.energy_j});
  for (const auto& d : node.power_w) node_power.samples.push_back({{{"node", node.node}, {"domain", d.domain}}, d.power_w});
  for (const auto& job : jobs) {
    for (const auto& d : job.energy_j)
      job_energy.samples.push_back(
          {{{"job_id", job.job_id}, {"user", job.user}, {"node", job.node}, {"domain", d.domain}}, d.energy_j});
    job_co2e.samples.push_back({{{"job_id", job.job_id}, {"user", job.user}}, job.co2e_g});
  }
  return {std::move(node_energy), std::move(node_power), std::move(job_energy), std::move(job_co2e)};
}

}  // namespace erg::metrics
