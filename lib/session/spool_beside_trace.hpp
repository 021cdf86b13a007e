#pragma once
#include <functional>
#include <string>

#include "spool/spool_directory.hpp"

namespace erg {

// The job's spool folder that `erg run` and the MPI agent keep beside their trace while the
// job runs: TRACE.spool/, in the layout of a Slurm job's spool folder (docs/spool-format.md),
// with one <node>.spool per node session and the agent's marks/. A killed job keeps what was
// measured until the last flush, and `erg collect TRACE.spool` makes its trace. Removed once
// the trace is written.
class SpoolBesideTrace {
 public:
  using Warn = std::function<void(const std::string&)>;
  // Creates (or opens, for the other node sessions of the job) the folder; throws
  // std::runtime_error, or UsageError for a trace path that cannot name a folder.
  explicit SpoolBesideTrace(const std::string& trace_path);

  static std::string path_for(const std::string& trace_path);       // job.h5 -> job.spool
  static std::string trace_path_for(const std::string& spool_path);  // job.spool -> job.h5
  // Before a run starts: an earlier run's spool for the same trace (killed, not collected)
  // is moved to job-<its last change, UTC>.spool, and warn says where. A spool that a
  // running job still writes is left alone: throws UsageError naming that job, since two
  // jobs on one trace path would overwrite each other's trace.
  static void set_aside_earlier(const std::string& trace_path, const Warn& warn);
  // What to tell the user when the trace could not be written: where the samples are kept.
  static std::string kept_note(const std::string& trace_path);

  const spool::JobSpoolDirectory& folder() const { return folder_; }
  // Once the trace holds everything: removes NAME (a node's spool, a marks file), and the
  // folder when nothing is left in it.
  void remove(const std::string& name);

 private:
  std::string path_;
  spool::JobSpoolDirectory folder_;
};

}  // namespace erg
