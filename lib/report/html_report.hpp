#pragma once
#include <string>

#include "report/job_report.hpp"
#include "report/report_tables.hpp"

namespace erg {

// `erg report --format html`: one self-contained page (inline CSS and SVG, nothing fetched).
// extra_html is placed after the key figures (the efficiency label, when there is one).
std::string html_report(const JobReport& report, const std::string& extra_html = "");

// The report's style sheet and tables, for other pages that should look the same (the
// ledger's report, lib/ledger/ledger_report_html.cpp).
const char* html_report_style();
std::string html_table(const Table& table);

}  // namespace erg
