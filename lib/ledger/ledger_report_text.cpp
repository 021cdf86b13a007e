#include <algorithm>

#include "ledger/ledger_report.hpp"
#include "util/number_format.hpp"
#include "util/text.hpp"

namespace erg::ledger {

namespace {

// Columns line up by characters, not bytes ("µWh" is 4 bytes, 3 characters).
std::size_t characters(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::vector<std::string> figures(const LedgerSums& s, bool with_estimates) {
  std::vector<std::string> cells = {format_count(static_cast<double>(s.jobs)), format_number(s.node_hours),
                                    format_energy_wh(s.it_energy_j), format_energy_wh(s.facility_energy_j),
                                    format_co2e(s.co2e_g())};
  if (with_estimates) cells.push_back(format_energy_wh(s.estimated_energy_j));
  return cells;
}

}  // namespace

Table ledger_display_table(const LedgerTable& table) {
  // Only where some figure is estimated: most sites measure everything.
  const bool with_estimates = table.total.estimated_energy_j > 0;
  Table shown;
  shown.header = table.key_names;
  for (const char* h : {"jobs", "node-hours", "IT energy", "facility energy", "CO2e"}) shown.header.push_back(h);
  if (with_estimates) shown.header.push_back("estimated IT");
  for (const auto& group : table.groups) {
    std::vector<std::string> row;
    for (const auto& k : group.key) row.push_back(k.empty() ? "-" : escape_controls(k));
    for (auto& cell : figures(group.sums, with_estimates)) row.push_back(std::move(cell));
    shown.rows.push_back(std::move(row));
  }
  std::vector<std::string> total(table.key_names.size(), "");
  if (total.empty()) total.push_back("");
  total[0] = "total";
  for (auto& cell : figures(table.total, with_estimates)) total.push_back(std::move(cell));
  if (table.key_names.empty()) shown.header.insert(shown.header.begin(), "");
  shown.rows.push_back(std::move(total));
  return shown;
}

std::string ledger_report_text(const LedgerTable& table) {
  const Table shown = ledger_display_table(table);
  const std::size_t keys = std::max<std::size_t>(table.key_names.size(), 1);
  std::vector<std::size_t> widths(shown.header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], characters(row[c]));
  };
  measure(shown.header);
  for (const auto& row : shown.rows) measure(row);
  // Keys to the left, figures to the right, so that their units line up.
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::string pad(widths[c] - characters(row[c]), ' ');
      text += (c ? "  " : "") + (c < keys ? row[c] + pad : pad + row[c]);
    }
    return text.substr(0, text.find_last_not_of(' ') + 1) + "\n";
  };
  std::string out = line(shown.header);
  for (std::size_t i = 0; i < shown.rows.size(); ++i) {
    if (i + 1 == shown.rows.size()) {
      std::size_t total_width = 0;
      for (auto w : widths) total_width += w + 2;
      out += std::string(total_width - 2, '-') + "\n";
    }
    out += line(shown.rows[i]);
  }
  return out;
}

}  // namespace erg::ledger
