#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "session/node_spool.hpp"
#include "util/periodic_thread.hpp"

namespace erg {

// The crash-safe copy that `erg run` and the MPI agent keep beside their trace while the job
// runs: TRACE.spool/<node>.spool, flushed every default_spool_flush_s, in the layout of a Slurm job's spool
// folder (docs/spool-format.md). A killed job keeps what was measured until the last flush,
// and `erg collect TRACE.spool` makes its trace. Removed once the trace is written.
class SpoolBesideTrace {
 public:
  using Warn = std::function<void(const std::string&)>;
  // Creates the folder and the node's file and starts flushing; throws std::runtime_error
  // (or UsageError for a trace path that cannot name a folder) when it cannot.
  SpoolBesideTrace(const std::string& trace_path, const Sampler& sampler, const nlohmann::json& header, Warn warn);
  ~SpoolBesideTrace();

  static std::string path_for(const std::string& trace_path);       // job.h5 -> job.spool
  static std::string trace_path_for(const std::string& spool_path);  // job.spool -> job.h5
  // Before a run starts: an earlier run's spool for the same trace (killed, not collected)
  // is moved to job-<its last change, UTC>.spool, and warn says where.
  static void set_aside_earlier(const std::string& trace_path, const Warn& warn);
  // What to tell the user when the trace could not be written: where the samples are kept.
  static std::string kept_note(const std::string& trace_path);
  const spool::JobSpoolDirectory& folder() const { return folder_; }
  // After the sampler stopped: stops flushing, writes the last samples and the final record.
  void finish(const nlohmann::json& footer);
  // Once the trace holds everything: removes this node's file, and the folder when it is empty.
  void remove();

 private:
  std::string path_;
  spool::JobSpoolDirectory folder_;
  std::string node_file_;
  NodeSpool node_;
  Warn warn_;
  std::unique_ptr<PeriodicThread> flusher_;  // last: stopped first
};

}  // namespace erg
