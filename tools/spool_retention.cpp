#include "spool_retention.hpp"

#include <ctime>
#include <exception>

#include "spool/spool_directory.hpp"

namespace erg::tools {

namespace {

bool held_by_a_daemon(const spool::JobSpoolDirectory& dir) {
  for (const auto& name : dir.list(".spool"))
    if (dir.is_held(name)) return true;
  return false;
}

}  // namespace

SpoolPruning prune_spool(const std::string& root, double keep_days, ledger::Ledger& ledger, const std::string& cluster,
                         const std::string& skip_job) {
  SpoolPruning result;
  const double now_s = static_cast<double>(std::time(nullptr));
  for (const auto& job_id : spool::JobSpoolDirectory::job_ids(root)) {
    if (job_id == skip_job) continue;
    try {
      {
        auto dir = spool::JobSpoolDirectory::open(root, job_id);
        if (now_s - dir.last_change_unix_s() < keep_days * 86400 || held_by_a_daemon(dir)) continue;
      }
      auto row = ledger.find(job_id, cluster);
      const std::string inside = root + "/" + job_id + "/";
      if (!row || row->trace_path.compare(0, inside.size(), inside) != 0) {
        ++result.not_in_ledger;
        continue;
      }
      if (spool::JobSpoolDirectory::remove_job(root, job_id)) ++result.removed;
      else if (result.first_failure.empty()) result.first_failure = root + "/" + job_id + ": not everything could be removed";
    } catch (const std::exception& e) {
      if (result.first_failure.empty()) result.first_failure = e.what();
    }
  }
  return result;
}

}  // namespace erg::tools
