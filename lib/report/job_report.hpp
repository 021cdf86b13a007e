#pragma once
#include <optional>

#include "accounting/job_account.hpp"
#include "accounting/life_cycle.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// Everything a report shows, computed once; each format only renders it.
struct JobReport {
  const JobTrace& trace;
  JobSummaries summaries;  // the nodes' summaries and the job's power series (node_summary.hpp)
  JobAccount account;
  LifeCycle life_cycle;
  Overheads overheads;
};

// lifetime_inferences: e of the life-cycle projection (--inferences); default the measured ones.
JobReport make_job_report(const JobTrace& trace, std::optional<double> lifetime_inferences = std::nullopt);

}  // namespace erg
