#pragma once
#include <string>

#include "report/job_report.hpp"

namespace erg {

// `erg report --format html`: one self-contained page (inline CSS and SVG, nothing fetched).
// extra_html is placed after the key figures (the efficiency label, when there is one).
std::string html_report(const JobReport& report, const std::string& extra_html = "");

}  // namespace erg
