#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "ledger/ledger_query.hpp"
#include "report/report_tables.hpp"

namespace erg::ledger {

// The formats of erg ledger report. Each renders the same LedgerTable: kWh, kg CO2e and
// node-hours per group, and the total.

// The rows a person reads (text and HTML): the keys, then the figures through the one number
// formatter (util/number_format.hpp), the total last.
Table ledger_display_table(const LedgerTable& table);

// An aligned table.
std::string ledger_report_text(const LedgerTable& table);
// A header line, then one line per group and one for the total (its keys "total"); plain
// numbers at full precision, in kWh, kg and hours.
std::string ledger_report_csv(const LedgerTable& table);
// DESIGN.md's {"groups": [{"key": {...}, "jobs": N, "node_hours": H, "it_kwh": E,
// "facility_kwh": F, "co2e_kg": C, ...}], "total": {...}}.
nlohmann::json ledger_report_json(const LedgerTable& table);

// A self-contained page (inline CSS and SVG, nothing fetched): the table, and per group a bar
// chart of its energy and CO2e over time. over_time holds the same groups with one more key,
// the period (a day or a month: period_name), last.
std::string ledger_report_html(const LedgerTable& table, const LedgerTable& over_time, const std::string& period_name,
                               const std::string& subtitle);

}  // namespace erg::ledger
