#include "report/report_tables.hpp"

#include <algorithm>

#include "util/number_format.hpp"
#include "util/utc_date.hpp"

namespace erg {

Table key_figures_table(const JobReport& r) {
  const auto& t = r.trace;
  const auto& a = r.account;
  Table table{{"figure", "value", "how"}, {}};
  table.rows.push_back({"duration", duration_text(r), machine_text(r)});
  table.rows.push_back({"IT energy", format_energy_j_wh(a.total.it_energy_j), "all nodes and domains"});
  table.rows.push_back({"facility energy", format_energy_j_wh(a.total.facility_energy_j), "IT x " + pue_text(t.carbon)});
  table.rows.push_back({"CO2e", format_co2e(a.total.co2e_g), intensity_text(t.carbon)});
  for (auto& row : carbon_rows(r)) table.rows.push_back(std::move(row));
  return table;
}

std::vector<std::vector<std::string>> carbon_rows(const JobReport& r) {
  const auto& a = r.account;
  const auto& c = r.trace.carbon;
  std::string how = format_number(a.embodied.node_hours) + " node-hours x " + format_number(c.embodied_g_per_node_hour) + " g";
  if (a.embodied.gpu_hours > 0)
    how += " + " + format_number(a.embodied.gpu_hours) + " GPU-hours x " + format_number(c.embodied_g_per_gpu_hour) + " g";
  if (!c.embodied_source.empty()) how += ", " + c.embodied_source;
  std::vector<std::vector<std::string>> rows = {
      {"embodied CO2e", format_co2e(a.embodied.co2e_g), how},
      {"total CO2e", format_co2e(a.total_co2e_g()), "operational + embodied"}};
  if (a.best_start)
    rows.push_back({"best start", format_utc_time(iso8601_utc(a.best_start->start_unix_s)),
                    format_co2e(a.best_start->co2e_g) + " CO2e then, " +
                        format_co2e(std::max(0.0, a.total.co2e_g - a.best_start->co2e_g)) + " less"});
  return rows;
}

Table phases_table(const JobReport& r) {
  Table table{{"phase", "kind", "duration", "items", "IT energy", "per item", "CO2e"}, {}};
  for (const auto& p : r.account.phases) {
    double items = static_cast<double>(p.phase.items);
    table.rows.push_back({p.phase.name, p.phase.kind, format_duration_s(p.phase.end_s - p.phase.start_s),
                          format_count(items), format_energy_j_wh(p.energy.it_energy_j),
                          items > 0 ? format_energy(p.energy.it_energy_j / items) : "-", format_co2e(p.energy.co2e_g)});
  }
  table.rows.push_back({"(outside phases)", "", "", "", format_energy_j_wh(r.account.outside_phases.it_energy_j), "",
                        format_co2e(r.account.outside_phases.co2e_g)});
  return table;
}

Table nodes_table(const JobReport& r) {
  Table table{{"node"}, {}};
  for (const auto& [domain, j] : r.account.total.by_domain_j) {
    table.header.push_back(domain + " [" + r.account.domain_sources.at(domain) +
                           (r.account.is_estimated(domain) ? ", estimate]" : "]"));
  }
  table.header.push_back("total");
  for (const auto& [node, by_domain] : r.account.by_node_domain_j) {
    std::vector<std::string> row{node};
    for (const auto& n : r.summaries.nodes)  // its counters' share, not the whole node: say so
      if (n.node == node && n.share.is_shared())
        row[0] += " (shared node: " + format_number(n.share.job_cpus) + " of " + format_count(n.share.node_cpus) + " CPUs)";
    for (const auto& [domain, j] : r.account.total.by_domain_j)
      row.push_back(by_domain.count(domain) ? format_energy_j_wh(by_domain.at(domain)) : "-");
    row.push_back(format_energy_j_wh(r.account.total.by_node_j.at(node)));
    table.rows.push_back(row);
  }
  return table;
}

Table life_cycle_table(const JobReport& r) {
  const auto& lc = r.life_cycle;
  const auto& c = r.trace.carbon;
  double inference_j = lc.inferences * lc.inference_j_per_item.value_or(0);
  Table table{{"part", "IT energy", "CO2e", "model"}, {}};
  table.rows.push_back(
      {"search (CT)", format_energy_j_wh(lc.search_j), format_co2e(co2e_g(lc.search_j, c)), "search phases"});
  table.rows.push_back(
      {"training (T)", format_energy_j_wh(lc.training_j), format_co2e(co2e_g(lc.training_j, c)), "train phases"});
  table.rows.push_back({"inference (e x I)", format_energy_j_wh(inference_j), format_co2e(co2e_g(inference_j, c)),
                        format_count(lc.inferences) + " x " +
                            (lc.inference_j_per_item ? format_energy(*lc.inference_j_per_item) : "?")});
  table.rows.push_back({"life cycle (L)", format_energy_j_wh(lc.lifetime_j), format_co2e(co2e_g(lc.lifetime_j, c)),
                        "L = CT + T + e x I"});
  table.rows.push_back({"break-even", lc.break_even_inferences ? format_count(*lc.break_even_inferences) + " inferences"
                                                               : "no inference phase measured",
                        "", "inference energy overtakes CT + T"});
  return table;
}

Table overheads_table(const JobReport& r) {
  const auto& o = r.overheads;
  double it = r.account.total.it_energy_j;
  Table table{{"overhead", "value", "what it is"}, {}};
  table.rows.push_back(
      {"facility", format_energy_j_wh(o.facility_j) + ", " + format_percent(it > 0 ? o.facility_j / it : 0),
       "(PUE - 1) x IT energy: cooling, power conversion"});
  table.rows.push_back({"training over inference", o.training_ratio ? format_number(*o.training_ratio) + " x" : "-",
                        "training energy per item / inference energy per item (about 5x in the life-cycle paper)"});
  // "outside phases", not "idle": a busy program that marks no phase is all outside, not idle.
  table.rows.push_back({"outside phases", format_energy_j_wh(o.idle_j) + ", " + format_percent(o.idle_share),
                        "energy outside any marked phase (all of it when the program marks none)"});
  table.rows.push_back({"measurement",
                        format_duration_s(o.measurement_cpu_s) + " CPU, " + format_energy(o.measurement_j) + ", " +
                            format_percent(o.measurement_share),
                        "erg's samplers: CPU time at one CPU's share of the TDP"});
  return table;
}

Table metrics_table(const JobReport& r) {
  Table table{{"metric", "value", "better"}, {}};
  for (const auto& m : r.trace.metrics)
    table.rows.push_back({m.name, format_metric(m.value), m.higher_is_better ? "higher" : "lower"});
  return table;
}

std::vector<std::string> all_notes(const JobReport& report) {
  const JobTrace& trace = report.trace;
  std::vector<std::string> notes = trace.notes;
  notes.insert(notes.end(), report.account.carbon_notes.begin(), report.account.carbon_notes.end());
  for (const auto& node : report.summaries.nodes)
    for (const auto& n : node.notes) notes.push_back(node.node + ": " + n);
  return notes;
}

std::string machine_text(const JobReport& report) {
  const JobTrace& trace = report.trace;
  // No rank count (0) where no MPI host counted them: a collected node daemon's job, erg run.
  return std::to_string(report.account.n_nodes) + " node(s), " +
         (trace.job.n_ranks > 0 ? std::to_string(trace.job.n_ranks) + " rank(s)" : "ranks unknown");
}

std::string duration_text(const JobReport& report) {
  for (const auto& node : report.summaries.nodes)
    if (node.n_samples > 0) return format_duration_s(report.account.duration_s);
  return "no samples";
}

std::string pue_text(const CarbonSettings& carbon) {
  return "PUE " + format_number(carbon.pue) + (carbon.pue_source.empty() ? "" : ", " + carbon.pue_source);
}

std::string intensity_text(const CarbonSettings& carbon) {
  if (!carbon.intensity.empty())
    return "grid intensity over time, " + carbon.intensity.source + "; where it has no value " +
           format_intensity(carbon.emission_factor_g_per_kwh) + (carbon.region.empty() ? "" : " " + carbon.region);
  return format_intensity(carbon.emission_factor_g_per_kwh) + (carbon.region.empty() ? "" : " " + carbon.region) +
         (carbon.emission_factor_source.empty() ? "" : ", " + carbon.emission_factor_source);
}

std::string estimates_sentence(const JobReport& r) {
  std::string integrated;
  for (const auto& [domain, source] : r.account.domain_sources)
    if (source.size() > 6 && source.compare(source.size() - 6, 6, "-power") == 0)
      integrated += (integrated.empty() ? "" : ", ") + domain;
  if (!integrated.empty())
    integrated = "Power-integrated: " + integrated + " (the device has no energy counter; its power is integrated "
                 "over time). ";
  if (r.account.estimated_domains.empty()) return integrated;
  std::string list;
  for (const auto& d : r.account.estimated_domains) list += (list.empty() ? "" : ", ") + d;
  return integrated + "Estimates: " + list +
         " come from models (no hardware counter could be read); all other figures are measured.";
}

}  // namespace erg
