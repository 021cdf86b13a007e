#pragma once
#include <nlohmann/json.hpp>

#include "report/job_report.hpp"

namespace erg {

// The machine-readable report: `erg report --format json`, and job.json beside a trace.
nlohmann::json json_report(const JobReport& report);

}  // namespace erg
