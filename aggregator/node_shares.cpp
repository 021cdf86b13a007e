#include "aggregator/node_shares.hpp"

#include <cmath>

#include "accounting/cumulative_series.hpp"
#include "accounting/node_share_rule.hpp"
#include "sensors/cpu_time/cpu_time_sensor.hpp"
#include "util/number_format.hpp"

namespace erg {

namespace {

// Moves the CPU-time series out of the energy domains.
void take_cpu_time(NodeTrace& node) {
  std::vector<DomainSeries> energy;
  for (auto& d : node.domains) {
    if (d.info.measurement != Measurement::cpu_time)
      energy.push_back(std::move(d));
    else if (d.info.name == CpuTimeSensor::job_domain)
      node.job_cpu_s = std::move(d.energy_j);
    else if (d.info.name == CpuTimeSensor::node_domain)
      node.node_busy_cpu_s = std::move(d.energy_j);
    else if (d.info.name == CpuTimeSensor::jobs_domain)
      node.jobs_cpu_s = std::move(d.energy_j);
  }
  node.domains = std::move(energy);
}

double at(const std::vector<double>& series, std::size_t i) { return i < series.size() ? series[i] : NAN; }

// The job's cumulative share of one whole-node counter.
std::vector<double> job_share_series(const NodeTrace& node, const std::vector<double>& node_energy_j) {
  const std::size_t n = node.time_s.size();
  std::vector<double> share_j(n, NAN);
  std::size_t last = n;  // the last sample with a reading
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(node_energy_j[i])) continue;
    if (last == n) {
      share_j[i] = 0;
    } else {
      const double interval_s = node.time_s[i] - node.time_s[last];
      const double used_cpu_s = at(node.job_cpu_s, i) - at(node.job_cpu_s, last);
      const double busy_cpu_s = at(node.node_busy_cpu_s, i) - at(node.node_busy_cpu_s, last);
      const double jobs_cpu_s = at(node.jobs_cpu_s, i) - at(node.jobs_cpu_s, last);  // NaN: unknown
      NodeInterval interval{node_energy_j[i] - node_energy_j[last], node.share.node_cpus * interval_s,
                            std::isfinite(busy_cpu_s) && std::isfinite(used_cpu_s) ? busy_cpu_s : 0.0,
                            node.share.idle_power_fraction, jobs_cpu_s};
      JobInterval job{node.share.job_cpus * interval_s, std::isfinite(used_cpu_s) ? used_cpu_s : 0.0};
      share_j[i] = share_j[last] + job_share_j(interval, job);
    }
    last = i;
  }
  return share_j;
}

}  // namespace

void charge_node_share(NodeTrace& node) {
  take_cpu_time(node);
  if (!node.share.is_shared()) return;
  double node_j = 0, job_j = 0;
  for (auto& d : node.domains) {
    if (!d.info.counts_whole_node() || d.energy_j.size() != node.time_s.size()) continue;
    std::vector<double> share_j = job_share_series(node, d.energy_j);
    node_j += CumulativeSeries(node.time_s, d.energy_j).total();
    job_j += CumulativeSeries(node.time_s, share_j).total();
    node.node_domains.push_back(d);
    d.energy_j = std::move(share_j);
  }
  if (node.node_domains.empty()) {  // no counter of the whole node (models, GPUs): nothing to split
    node.share.mode = NodeShare::exclusive;
    return;
  }
  node.share.rule = NodeShare::cpu_time_rule;
  node.notes.push_back("shared node: the job held " + format_number(node.share.job_cpus) + " of its " +
                       format_count(node.share.node_cpus) + " CPUs (" + node.share.allocation_source +
                       ") and was charged " + format_energy(job_j) + ", " + format_percent(node_j > 0 ? job_j / node_j : 0) +
                       " of the " + format_energy(node_j) + " its counters measured (docs/accounting.md)");
}

}  // namespace erg
