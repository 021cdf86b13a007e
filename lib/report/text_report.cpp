#include "report/text_report.hpp"

#include <sstream>

#include "report/report_tables.hpp"
#include "util/number_format.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

std::string padded(const std::string& label, size_t width = 16) {
  return label.size() >= width ? label + " " : label + std::string(width - label.size(), ' ');
}

}  // namespace

std::string text_report(const JobReport& report) {
  const JobTrace& trace = report.trace;
  const JobAccount& account = report.account;
  std::ostringstream out;
  out << "erg report: job " << (trace.job.job_id.empty() ? "-" : trace.job.job_id);
  if (!trace.job.job_name.empty()) out << " (" << trace.job.job_name << ")";
  if (trace.job.job_state != "unknown") {
    out << ", " << trace.job.job_state;
    if (trace.job.job_state != "completed" && trace.job.exit_code >= 0) out << " (exit code " << trace.job.exit_code << ")";
  }
  out << "\n  " << padded("duration") << duration_text(report) << ", " << machine_text(report) << "\n";
  out << "  " << padded("IT energy") << format_energy_j_wh(account.total.it_energy_j) << "\n";
  for (const auto& [domain, j] : account.total.by_domain_j) {
    out << "    " << padded(domain, 14) << format_energy_j_wh(j) << "  [" << account.domain_sources.at(domain)
        << (account.is_estimated(domain) ? ", estimate" : "") << "]\n";
  }
  if (account.n_nodes > 1 && account.n_nodes <= 16)
    for (const auto& [node, j] : account.total.by_node_j)
      out << "    node " << padded(node, 9) << format_energy_j_wh(j) << "\n";
  out << "  " << padded("facility energy") << format_energy_j_wh(account.total.facility_energy_j) << " at "
      << pue_text(trace.carbon) << "\n";
  out << "  " << padded("CO2e") << format_co2e(account.total.co2e_g) << " at " << intensity_text(trace.carbon) << "\n";
  for (const auto& row : carbon_rows(report)) out << "  " << padded(row[0]) << row[1] << "  (" << row[2] << ")\n";
  if (!account.phases.empty()) {
    out << "  phases\n";
    for (const auto& p : account.phases) {
      out << "    " << padded(p.phase.name + " [" + p.phase.kind + "]", 22)
          << format_duration_s(p.phase.end_s - p.phase.start_s) << "  " << format_energy_j_wh(p.energy.it_energy_j)
          << "  " << format_co2e(p.energy.co2e_g) << " CO2e";
      if (p.phase.items > 0) {
        const double items = static_cast<double>(p.phase.items);
        out << "  " << format_count(items) << " items, " << format_energy(p.energy.it_energy_j / items) << "/item";
      }
      out << "\n";
    }
    out << "    " << padded("(outside phases)", 22) << format_energy_j_wh(account.outside_phases.it_energy_j) << "\n";
  }
  const LifeCycle& lc = report.life_cycle;
  if (lc.inference_j_per_item || lc.training_j > 0 || lc.search_j > 0) {
    out << "  " << padded("life cycle") << "L = CT + T + e x I = " << format_energy_j_wh(lc.lifetime_j) << ", "
        << format_co2e(co2e_g(lc.lifetime_j, trace.carbon)) << " CO2e for e = " << format_count(lc.inferences)
        << " inferences\n";
    if (lc.break_even_inferences)
      out << "  " << padded("") << "inference overtakes search + training after "
          << format_count(*lc.break_even_inferences) << " inferences\n";
  }
  const Overheads& o = report.overheads;
  // "outside phases", not "idle": the share is of the energy outside every marked phase,
  // which is all of a busy program that marks none.
  out << "  " << padded("overheads") << "facility " << format_energy_j_wh(o.facility_j) << "; outside phases "
      << format_percent(o.idle_share);
  if (o.training_ratio) out << "; training/inference per item " << format_number(*o.training_ratio) << " x";
  out << "\n  " << padded("measurement") << "sampler CPU time " << format_duration_s(o.measurement_cpu_s)
      << ", about " << format_energy(o.measurement_j) << " (" << format_percent(o.measurement_share)
      << " of IT energy)\n";
  for (size_t i = 0; i < trace.metrics.size(); ++i) {
    const Metric& m = trace.metrics[i];
    out << "  " << padded(i == 0 ? "metrics" : "") << m.name << " " << format_metric(m.value)
        << (m.higher_is_better ? " (higher is better)" : " (lower is better)") << "\n";
  }
  // The notes say what is missing or estimated: a report without them would overstate itself.
  constexpr size_t notes_shown = 10;
  const std::vector<std::string> notes = all_notes(report);
  for (size_t i = 0; i < notes.size() && i < notes_shown; ++i)
    out << "  " << padded(i == 0 ? "notes" : "") << notes[i] << "\n";
  if (notes.size() > notes_shown)
    out << "  " << padded("") << "and " << notes.size() - notes_shown << " more (erg report --format json)\n";
  if (auto sentence = estimates_sentence(report); !sentence.empty()) out << "  " << sentence << "\n";
  return escape_controls(valid_utf8(out.str()));  // names come from users: none may drive the terminal
}

}  // namespace erg
