#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "accounting/grid_carbon.hpp"
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
  // carbon: the site's PUE, emission factor and intensity series, for the jobs' CO2e.
  LiveJobs(std::string spool_root, std::string node, const CarbonSettings& carbon);
  LiveJobs(const LiveJobs&) = delete;  // its jobs refer to its grid
  LiveJobs& operator=(const LiveJobs&) = delete;

  // Finds new jobs, reads what their daemons appended, drops the ended ones. Never throws:
  // a folder that cannot be read is left out (the exporter must keep serving the others).
  void update();
  // Each running job's energy and CO2e.
  std::vector<metrics::JobReading> readings() const;
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
  GridCarbon grid_;         // before the jobs, which refer to it
  double pue_;
  std::map<std::string, std::unique_ptr<Job>> running_;
  // Folders whose spool had ended when first seen (the spool keeps finished jobs for days):
  // never read again while they stay.
  std::set<std::string> ended_;
};

}  // namespace erg
