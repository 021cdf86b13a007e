#pragma once
#include <string>

#include "accounting/job_account.hpp"
#include "trace/trace_file.hpp"

namespace erg::testing {

// Writes trace as one self-contained file (its samples inside, as erg collect --pack makes),
// with the accounting tables made of its samples: the whole format in one file.
inline void write_packed_trace(const JobTrace& trace, const std::string& path) {
  const JobSummaries summaries = summaries_of(trace);
  write_trace_file(trace, {summaries.nodes, summaries.power, trace_summary(account_job(trace, summaries))}, path,
                   TraceLayout::packed);
}

}  // namespace erg::testing
