#pragma once
#include <string>

#include "accounting/job_account.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// The readable report: what `erg run` and the agent print, and `erg report --format text`.
std::string text_report(const JobTrace& trace, const JobAccount& account);

}  // namespace erg
