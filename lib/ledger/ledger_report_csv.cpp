#include <charconv>

#include "accounting/job_account.hpp"
#include "ledger/ledger_report.hpp"

namespace erg::ledger {

namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// The shortest text that reads back as the same double, without an exponent (0.0000123, not
// 1.23e-05): a spreadsheet sums these, and a person may read them.
std::string plain(double value) {
  char buffer[400];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return error == std::errc() ? std::string(buffer, end) : "nan";
}

std::string figures(const LedgerSums& s) {
  return std::to_string(s.jobs) + "," + plain(s.node_hours) + "," + plain(s.it_energy_j / joules_per_kwh) + "," +
         plain(s.facility_energy_j / joules_per_kwh) + "," + plain(s.co2e_g() / 1000) + "," +
         plain(s.operational_co2e_g / 1000) + "," + plain(s.embodied_co2e_g / 1000) + "," +
         plain(s.estimated_energy_j / joules_per_kwh) + "," + plain(s.avoidable_co2e_g / 1000) + "\n";
}

}  // namespace

std::string ledger_report_csv(const LedgerTable& table) {
  std::string out;
  for (const auto& k : table.key_names) out += field(k) + ",";
  out += "jobs,node_hours,it_kwh,facility_kwh,co2e_kg,operational_co2e_kg,embodied_co2e_kg,estimated_it_kwh,avoidable_co2e_kg\n";
  for (const auto& group : table.groups) {
    for (const auto& k : group.key) out += field(k) + ",";
    out += figures(group.sums);
  }
  for (std::size_t i = 0; i < table.key_names.size(); ++i) out += i == 0 ? "total," : ",";
  return out + figures(table.total);
}

}  // namespace erg::ledger
