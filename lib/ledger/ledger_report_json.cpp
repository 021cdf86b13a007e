#include "ledger/ledger_report.hpp"

#include "accounting/job_account.hpp"

namespace erg::ledger {

namespace {

nlohmann::json sums_json(const LedgerSums& s) {
  return {{"jobs", s.jobs},
          {"node_hours", s.node_hours},
          {"it_kwh", s.it_energy_j / joules_per_kwh},
          {"facility_kwh", s.facility_energy_j / joules_per_kwh},
          {"co2e_kg", s.co2e_g() / 1000},
          {"operational_co2e_kg", s.operational_co2e_g / 1000},
          {"embodied_co2e_kg", s.embodied_co2e_g / 1000},
          {"estimated_it_kwh", s.estimated_energy_j / joules_per_kwh},
          {"avoidable_co2e_kg", s.avoidable_co2e_g / 1000}};
}

}  // namespace

nlohmann::json ledger_report_json(const LedgerTable& table) {
  nlohmann::json report = {{"groups", nlohmann::json::array()}, {"total", sums_json(table.total)}};
  for (const auto& group : table.groups) {
    nlohmann::json row = {{"key", nlohmann::json::object()}};
    for (std::size_t i = 0; i < table.key_names.size(); ++i) row["key"][table.key_names[i]] = group.key[i];
    row.update(sums_json(group.sums));
    report["groups"].push_back(row);
  }
  return report;
}

}  // namespace erg::ledger
