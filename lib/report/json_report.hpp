#pragma once
#include <nlohmann/json.hpp>

#include "accounting/job_account.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// The machine-readable report: `erg report --format json`, and job.json beside a trace.
nlohmann::json json_report(const JobTrace& trace, const JobAccount& account);

}  // namespace erg
