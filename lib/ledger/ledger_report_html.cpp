#include <sstream>

#include "ledger/ledger_report.hpp"
#include "report/html_report.hpp"
#include "report/svg_chart.hpp"
#include "util/number_format.hpp"

namespace erg::ledger {

namespace {

std::string key_text(const std::vector<std::string>& names, const std::vector<std::string>& key) {
  std::string text;
  for (std::size_t i = 0; i < key.size() && i < names.size(); ++i)
    text += (text.empty() ? "" : ", ") + names[i] + " " + (key[i].empty() ? "-" : key[i]);
  return text;
}

// The group's bars over time: one per period (the last key of over_time), in time order.
std::string group_chart(const LedgerGroup& group, const LedgerTable& over_time) {
  std::vector<svg::Bar> bars;
  for (const auto& row : over_time.groups) {
    if (row.key.size() != group.key.size() + 1 || !std::equal(group.key.begin(), group.key.end(), row.key.begin()))
      continue;
    bars.push_back({row.key.back(), row.sums.it_energy_j,
                    format_energy_wh(row.sums.it_energy_j) + " IT, " + format_co2e(row.sums.co2e_g()) + " CO2e, " +
                        format_count(static_cast<double>(row.sums.jobs)) + " job(s)",
                    svg::color(0)});
  }
  return svg::bar_chart(bars);
}

std::string card(const std::string& key, const std::string& value) {
  return "<div class=\"card\"><div class=\"k\">" + svg::escape_text(key) + "</div><div class=\"v\">" +
         svg::escape_text(value) + "</div></div>";
}

}  // namespace

std::string ledger_report_html(const LedgerTable& table, const LedgerTable& over_time, const std::string& period_name,
                               const std::string& subtitle) {
  std::ostringstream out;
  const std::string title = "erg ledger report";
  out << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << svg::escape(title)
      << "</title><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>" << html_report_style()
      << "</style></head><body><main>";
  out << "<h1>" << svg::escape_text(title) << "</h1><div class=\"meta\">" << svg::escape_text(subtitle) << "</div>";
  const LedgerSums& t = table.total;
  out << "<div class=\"cards\">" << card("jobs", format_count(static_cast<double>(t.jobs)))
      << card("node-hours", format_number(t.node_hours)) << card("IT energy", format_energy_wh(t.it_energy_j))
      << card("facility energy", format_energy_wh(t.facility_energy_j)) << card("CO2e", format_co2e(t.co2e_g()))
      << "</div>";
  if (t.estimated_energy_j > 0)
    out << "<div class=\"estimate\">" << svg::escape_text(format_energy_wh(t.estimated_energy_j))
        << " of the IT energy come from models, not from measurements.</div>";
  out << "<h2>Per group</h2>" << html_table(ledger_display_table(table));
  out << "<h2>IT energy per " << svg::escape_text(period_name) << "</h2>";
  for (const auto& group : table.groups)
    out << "<h3>" << svg::escape_text(key_text(table.key_names, group.key)) << "</h3>" << group_chart(group, over_time);
  if (table.groups.empty()) out << "<p>No jobs.</p>";
  out << "<footer>erg " << ERG_VERSION << " &middot; energy in kWh, CO2e operational plus embodied, days and months "
      << "in UTC by the jobs' start</footer></main></body></html>\n";
  return out.str();
}

}  // namespace erg::ledger
