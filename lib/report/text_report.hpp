#pragma once
#include <string>

#include "report/job_report.hpp"

namespace erg {

// The readable report: what `erg run` and the agent print, and `erg report --format text`.
std::string text_report(const JobReport& report);

}  // namespace erg
