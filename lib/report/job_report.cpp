#include "report/job_report.hpp"

namespace erg {

JobReport make_job_report(const JobTrace& trace, std::optional<double> lifetime_inferences) {
  JobAccount account = account_job(trace);
  LifeCycle life_cycle = life_cycle_of(account, lifetime_inferences);
  Overheads overheads = overheads_of(trace, account);
  return {trace, std::move(account), life_cycle, overheads};
}

}  // namespace erg
