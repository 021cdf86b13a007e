#include "report/json_report.hpp"

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

}  // namespace

nlohmann::json json_report(const JobTrace& trace, const JobAccount& account) {
  nlohmann::json report;
  report["job"] = {{"job_id", trace.job.job_id},         {"job_name", trace.job.job_name},
                   {"user", trace.job.user},             {"start_utc", trace.job.start_utc},
                   {"end_utc", trace.job.end_utc},       {"n_nodes", trace.nodes.size()},
                   {"n_ranks", trace.job.n_ranks},       {"erg_version", trace.job.erg_version},
                   {"interval_s", trace.interval_s},     {"extra", trace.job.extra}};
  report["duration_s"] = account.duration_s;
  report["site"] = {{"pue", trace.carbon.pue},
                    {"pue_source", trace.carbon.pue_source},
                    {"emission_factor_g_per_kwh", trace.carbon.emission_factor_g_per_kwh},
                    {"emission_factor_source", trace.carbon.emission_factor_source},
                    {"region", trace.carbon.region}};
  report["energy"] = energy_json(account.total);
  report["energy"]["by_node_domain"] = account.by_node_domain_j;
  report["energy"]["outside_phases_j"] = account.outside_phases.it_energy_j;
  report["co2e_g"] = account.total.co2e_g;
  report["co2e_kg"] = account.total.co2e_g / 1000;

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
  std::vector<std::string> notes = trace.notes;
  for (const auto& node : trace.nodes)
    for (const auto& n : node.notes) notes.push_back(node.node + ": " + n);
  report["notes"] = notes;
  return report;
}

}  // namespace erg
