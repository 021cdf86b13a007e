#pragma once
#include <string>

#include "ledger/ledger.hpp"

namespace erg::tools {

struct SpoolPruning {
  int removed = 0;             // job folders removed
  int not_in_ledger = 0;       // old enough, but their trace is not in the ledger (yet): kept
  std::string first_failure;   // a folder that could not be read or removed, for the log
};

// The spool's retention (setting spool-keep-days), run by the slurmctld epilog's erg collect
// after it added its own job to the ledger: removes the job folders of ROOT that nothing has
// changed for keep_days and whose trace the ledger holds (the row of that job id and cluster
// names a trace inside the folder). A folder whose trace is not in the ledger, or whose node
// daemon still holds its spool, is kept; so is skip_job (the job just collected).
SpoolPruning prune_spool(const std::string& root, double keep_days, ledger::Ledger& ledger, const std::string& cluster,
                         const std::string& skip_job);

}  // namespace erg::tools
