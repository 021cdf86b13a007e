#include "report/job_report.hpp"

namespace erg {

JobReport make_job_report(const JobTrace& trace, std::optional<double> lifetime_inferences) {
  JobSummaries summaries = summaries_of(trace);
  JobAccount account = account_job(trace, summaries);
  LifeCycle life_cycle = life_cycle_of(account, lifetime_inferences);
  Overheads overheads = overheads_of(summaries.nodes, account);
  return {trace, std::move(summaries), std::move(account), life_cycle, overheads};
}

}  // namespace erg
