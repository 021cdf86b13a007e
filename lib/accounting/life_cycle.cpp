#include "accounting/life_cycle.hpp"

#include "sensors/models/cpu_tdp.hpp"

namespace erg {

namespace {

struct KindTotals {
  double energy_j = 0;
  double items = 0;
};

KindTotals totals_of_kind(const JobAccount& account, const std::string& kind) {
  KindTotals t;
  for (const auto& p : account.phases) {
    if (p.phase.kind != kind) continue;
    t.energy_j += p.energy.it_energy_j;
    t.items += static_cast<double>(p.phase.items);
  }
  return t;
}

void project(LifeCycle& lc) {
  lc.lifetime_j = lc.search_j + lc.training_j + lc.inferences * lc.inference_j_per_item.value_or(0);
  if (lc.inference_j_per_item && *lc.inference_j_per_item > 0)
    lc.break_even_inferences = (lc.search_j + lc.training_j) / *lc.inference_j_per_item;
}

}  // namespace

LifeCycle life_cycle_of(const JobAccount& account, std::optional<double> lifetime_inferences) {
  LifeCycle lc;
  lc.search_j = totals_of_kind(account, "search").energy_j;
  lc.training_j = totals_of_kind(account, "train").energy_j;
  KindTotals inference = totals_of_kind(account, "inference");
  if (inference.items > 0) lc.inference_j_per_item = inference.energy_j / inference.items;
  lc.inferences = lifetime_inferences.value_or(inference.items);
  project(lc);
  return lc;
}

LifeCycle life_cycle_model(double inference_j, double samples, double epochs, double training_factor,
                           double searches, double inferences) {
  LifeCycle lc;
  lc.inference_j_per_item = inference_j;
  lc.training_j = inference_j * samples * epochs * training_factor;
  lc.search_j = searches * lc.training_j;
  lc.inferences = inferences;
  project(lc);
  return lc;
}

Overheads overheads_of(const std::vector<NodeSummary>& nodes, const JobAccount& account) {
  Overheads o;
  double it_j = account.total.it_energy_j;
  o.facility_j = account.total.facility_energy_j - it_j;
  KindTotals train = totals_of_kind(account, "train"), inference = totals_of_kind(account, "inference");
  if (train.items > 0 && inference.items > 0 && inference.energy_j > 0)
    o.training_ratio = (train.energy_j / train.items) / (inference.energy_j / inference.items);
  o.idle_j = account.outside_phases.it_energy_j;
  o.idle_share = it_j > 0 ? o.idle_j / it_j : 0;
  // The sampler's CPU seconds at the power of one CPU of its node (TDP / logical CPUs).
  for (const auto& node : nodes) {
    o.measurement_cpu_s += node.sampler_cpu_s;
    o.measurement_j += node.sampler_cpu_s * watts_per_logical_cpu(node.cpu_tdp_w, node.logical_cpus);
  }
  o.measurement_share = it_j > 0 ? o.measurement_j / it_j : 0;
  return o;
}

}  // namespace erg
