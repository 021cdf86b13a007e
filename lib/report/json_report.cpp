#include "report/json_report.hpp"

#include <algorithm>

#include "report/report_tables.hpp"
#include "util/utc_date.hpp"

namespace erg {

namespace {

nlohmann::json energy_json(const EnergyAccount& e) {
  return {{"it_j", e.it_energy_j},
          {"facility_j", e.facility_energy_j},
          {"it_kwh", e.it_energy_j / joules_per_kwh},
          {"facility_kwh", e.facility_energy_j / joules_per_kwh},
          {"co2e_g", e.co2e_g},
          {"by_domain", e.by_domain_j},
          {"by_node", e.by_node_j}};
}

nlohmann::json life_cycle_json(const LifeCycle& lc, const CarbonSettings& carbon) {
  nlohmann::json j = {{"search_j", lc.search_j},
                      {"training_j", lc.training_j},
                      {"inferences", lc.inferences},
                      {"inference_j", lc.inferences * lc.inference_j_per_item.value_or(0)},
                      {"lifetime_j", lc.lifetime_j},
                      {"search_kwh", lc.search_j / joules_per_kwh},
                      {"training_kwh", lc.training_j / joules_per_kwh},
                      {"inference_kwh", lc.inferences * lc.inference_j_per_item.value_or(0) / joules_per_kwh},
                      {"lifetime_kwh", lc.lifetime_j / joules_per_kwh},
                      {"lifetime_facility_kwh", facility_energy_j(lc.lifetime_j, carbon) / joules_per_kwh},
                      {"lifetime_co2e_kg", co2e_g(lc.lifetime_j, carbon) / 1000}};
  j["inference_j_per_item"] = lc.inference_j_per_item ? nlohmann::json(*lc.inference_j_per_item) : nullptr;
  j["break_even_inferences"] = lc.break_even_inferences ? nlohmann::json(*lc.break_even_inferences) : nullptr;
  return j;
}

nlohmann::json overheads_json(const Overheads& o) {
  nlohmann::json j = {{"facility_j", o.facility_j},           {"idle_j", o.idle_j},
                      {"idle_share", o.idle_share},           {"measurement_cpu_s", o.measurement_cpu_s},
                      {"measurement_j", o.measurement_j},     {"measurement_share", o.measurement_share}};
  j["training_ratio"] = o.training_ratio ? nlohmann::json(*o.training_ratio) : nullptr;
  return j;
}

}  // namespace

nlohmann::json json_report(const JobReport& job) {
  const JobTrace& trace = job.trace;
  const JobAccount& account = job.account;
  nlohmann::json report;
  report["job"] = {{"job_id", trace.job.job_id},         {"job_name", trace.job.job_name},
                   {"user", trace.job.user},             {"start_utc", trace.job.start_utc},
                   {"end_utc", trace.job.end_utc},       {"n_nodes", job.summaries.nodes.size()},
                   {"n_ranks", trace.job.n_ranks},       {"erg_version", trace.job.erg_version},
                   {"interval_s", trace.interval_s},     {"extra", trace.job.extra},
                   {"job_state", trace.job.job_state},   {"exit_code", trace.job.exit_code}};
  report["duration_s"] = account.duration_s;
  report["site"] = {{"pue", trace.carbon.pue},
                    {"pue_source", trace.carbon.pue_source},
                    {"emission_factor_g_per_kwh", trace.carbon.emission_factor_g_per_kwh},
                    {"emission_factor_source", trace.carbon.emission_factor_source},
                    {"region", trace.carbon.region}};
  report["energy"] = energy_json(account.total);
  report["energy"]["by_node_domain"] = account.by_node_domain_j;
  report["energy"]["outside_phases_j"] = account.outside_phases.it_energy_j;
  // Shared nodes (docs/accounting.md): what the node's counters measured beside what the job
  // was charged of them, and the allocation the split used.
  nlohmann::json shared = nlohmann::json::object();
  for (const auto& node : job.summaries.nodes) {
    if (!node.share.is_shared()) continue;
    double node_j = 0, charged_j = 0;
    for (const auto& domain : node.domains)
      if (domain.split) {
        node_j += domain.node_energy_j;
        charged_j += domain.energy_j;
      }
    shared[node.node] = {{"node_j", node_j},
                         {"charged_j", charged_j},
                         {"job_cpus", node.share.job_cpus},
                         {"node_cpus", node.share.node_cpus},
                         {"idle_power_fraction", node.share.idle_power_fraction},
                         {"allocation_source", node.share.allocation_source},
                         {"rule", node.share.rule}};
  }
  report["energy"]["shared_nodes"] = shared;
  report["co2e_g"] = account.total.co2e_g;
  report["co2e_kg"] = account.total.co2e_g / 1000;
  // co2e_g stays the operational figure (the contract's key); carbon adds the hardware's
  // manufacture and, with an intensity series, the start that would have emitted least.
  nlohmann::json carbon = {{"operational_co2e_g", account.total.co2e_g},
                           {"embodied_co2e_g", account.embodied.co2e_g},
                           {"total_co2e_g", account.total_co2e_g()},
                           {"intensity_source", trace.carbon.intensity.empty() ? trace.carbon.emission_factor_source
                                                                               : trace.carbon.intensity.source},
                           {"intensity_varies", !trace.carbon.intensity.empty()},
                           {"uncovered_facility_j", account.uncovered_facility_j},
                           {"node_hours", account.embodied.node_hours},
                           {"gpu_hours", account.embodied.gpu_hours},
                           {"embodied_g_per_node_hour", trace.carbon.embodied_g_per_node_hour},
                           {"embodied_g_per_gpu_hour", trace.carbon.embodied_g_per_gpu_hour},
                           {"embodied_source", trace.carbon.embodied_source}};
  if (account.best_start) {
    carbon["best_start_utc"] = iso8601_utc(account.best_start->start_unix_s);
    carbon["best_start_co2e_g"] = account.best_start->co2e_g;
    carbon["best_start_saving_co2e_g"] = std::max(0.0, account.total.co2e_g - account.best_start->co2e_g);
  }
  report["carbon"] = carbon;

  report["phases"] = nlohmann::json::array();
  for (const auto& p : account.phases) {
    auto row = energy_json(p.energy);
    row["name"] = p.phase.name;
    row["kind"] = p.phase.kind;
    row["start_s"] = p.phase.start_s;
    row["end_s"] = p.phase.end_s;
    row["duration_s"] = p.phase.end_s - p.phase.start_s;
    row["items"] = p.phase.items;
    if (p.phase.items > 0) row["energy_per_item_j"] = p.energy.it_energy_j / static_cast<double>(p.phase.items);
    report["phases"].push_back(row);
  }
  report["outside_phases"] = energy_json(account.outside_phases);

  report["metrics"] = nlohmann::json::array();
  for (const auto& m : trace.metrics)
    report["metrics"].push_back({{"name", m.name}, {"value", m.value}, {"higher_is_better", m.higher_is_better}});
  report["estimated"] = account.estimated_domains;
  report["sources"] = account.domain_sources;
  report["measurement"] = {{"sampler_cpu_s", account.sampler_cpu_s}};
  report["life_cycle"] = life_cycle_json(job.life_cycle, trace.carbon);
  report["overheads"] = overheads_json(job.overheads);
  report["notes"] = all_notes(job);
  return report;
}

}  // namespace erg
