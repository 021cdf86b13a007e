#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "aggregator/live_job_spool.hpp"
#include "metrics/live_readings.hpp"
#include "spool/spool_directory.hpp"

namespace erg {

// The jobs running on this node, as erg exporter sees them: every job folder of the spool
// root (SPOOL/<job>/) whose <node>.spool is still held by its erg agent daemon. A job appears
// once its daemon has written the spool's header and leaves when the daemon stops (a final
// record) or is gone (its lock released).
class LiveJobs {
 public:
  LiveJobs(std::string spool_root, std::string node);

  // Finds new jobs, reads what their daemons appended, drops the ended ones. Never throws:
  // a folder that cannot be read is left out (the exporter must keep serving the others).
  void update();
  // Each running job's energy, and its CO2e at co2e_g_per_j (PUE x emission factor).
  std::vector<metrics::JobReading> readings(double co2e_g_per_j) const;
  std::size_t running() const { return running_.size(); }

 private:
  struct Job {
    spool::JobSpoolDirectory dir;
    LiveJobSpool spool;
  };
  void start_following(const std::string& job_id);

  std::string root_;
  std::string node_;
  std::string spool_name_;  // <node>.spool
  std::map<std::string, std::unique_ptr<Job>> running_;
  // Folders whose spool had ended when first seen (the spool keeps finished jobs for days):
  // never read again while they stay.
  std::set<std::string> ended_;
};

}  // namespace erg
