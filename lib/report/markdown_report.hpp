#pragma once
#include <string>

#include "report/job_report.hpp"

namespace erg {

// `erg report --format md`: the report as GitHub-flavoured markdown tables.
std::string markdown_report(const JobReport& report);

}  // namespace erg
