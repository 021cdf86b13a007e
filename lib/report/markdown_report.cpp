#include "report/markdown_report.hpp"

#include <sstream>

#include "report/report_tables.hpp"
#include "util/number_format.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

std::string cell(std::string text) {
  for (size_t pos = text.find('|'); pos != std::string::npos; pos = text.find('|', pos + 2)) text.replace(pos, 1, "\\|");
  return text;
}

void render(std::ostringstream& out, const std::string& title, const Table& table) {
  out << "\n## " << title << "\n\n|";
  for (const auto& h : table.header) out << " " << cell(h) << " |";
  out << "\n|";
  for (size_t i = 0; i < table.header.size(); ++i) out << "---|";
  out << "\n";
  for (const auto& row : table.rows) {
    out << "|";
    for (const auto& c : row) out << " " << cell(c) << " |";
    out << "\n";
  }
}

}  // namespace

std::string markdown_report(const JobReport& r) {
  std::ostringstream out;
  const auto& job = r.trace.job;
  out << "# erg report: job " << cell(job.job_id) << (job.job_name.empty() ? "" : " (" + cell(job.job_name) + ")")
      << "\n\n" << cell(job.user) << ", " << format_utc_time(job.start_utc) << " to " << format_utc_time(job.end_utc)
      << ", erg " << job.erg_version << "\n";
  if (auto sentence = estimates_sentence(r); !sentence.empty()) out << "\n> " << sentence << "\n";
  render(out, "Key figures", key_figures_table(r));
  if (!r.account.phases.empty()) render(out, "Phases", phases_table(r));
  render(out, "Nodes", nodes_table(r));
  render(out, "Life cycle", life_cycle_table(r));
  render(out, "Overheads", overheads_table(r));
  if (!r.trace.metrics.empty()) render(out, "Metrics", metrics_table(r));
  auto notes = all_notes(r);
  if (!notes.empty()) {
    out << "\n## Notes\n\n";
    for (const auto& n : notes) out << "- " << n << "\n";
  }
  return escape_controls(valid_utf8(out.str()));  // names come from users: none may drive a terminal
}

}  // namespace erg
