#pragma once
#include <sched.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sampler/sample_window.hpp"
#include "sampler/sampler.hpp"
#include "sensors/node_sensors.hpp"
#include "session/node_spool.hpp"
#include "spool/spool_directory.hpp"
#include "spool/spool_reader.hpp"
#include "trace/job_trace.hpp"
#include "util/periodic_thread.hpp"

namespace erg {

struct NodeSessionOptions {
  SensorSettings sensors;
  std::string node;
  double interval_s = 1.0;
  // The monotonic time that is the job's time 0 on this node, and the wall clock then (how
  // erg collect aligns the nodes). The MPI agent gives both (the end of erg_init's barrier);
  // 0 means the session's own start, once its sensors are found: discovery can take a
  // while (TDP tables, GPU libraries), and the first sample should be at time 0.
  double origin_s = 0;
  double start_unix_s = 0;
  JobInfo job;              // what the spool's header records of the job
  // How the node is shared with other jobs (session/node_allocation.hpp): a shared node's
  // session also samples the job's and the node's CPU time.
  NodeShare share;
  std::optional<cpu_set_t> sampler_cpus;
  double flush_s = default_spool_flush_s;
  // The node daemon exists to keep a spool: without one it has nothing to do, and says why.
  bool spool_required = false;
};

// The one sampling session of a node, used by every host (the MPI agent's node leaders,
// `erg run`, `erg agent`, the Python module): discovers the node's sensors, runs the sampler,
// streams its samples to the node's spool every flush_s, and stops with a final record.
// Nothing of the samples stays in memory but a bounded window: the job's trace is built
// from the spool (contents()), as erg collect builds it.
class NodeSession {
 public:
  using Warn = std::function<void(const std::string&)>;

  // folder: the job's spool folder, where <node>.spool is created. Without one, or when the
  // file cannot be created (said through warn), the samples are kept in memory instead,
  // bounded by thinning. Throws SpoolLocked when another process samples this node for the
  // job, what the spool's creation threw when options.spool_required, and
  // std::runtime_error when the node cannot be sampled at all.
  NodeSession(const NodeSessionOptions& options, const spool::JobSpoolDirectory* folder, Warn warn);
  NodeSession(const NodeSession&) = delete;
  NodeSession& operator=(const NodeSession&) = delete;
  ~NodeSession();

  void start();
  double sample_now();  // an extra sample (a phase bound); returns its time_s
  // The last sample, the last flush, the sensors' notes and the final record; idempotent.
  void stop(const std::string& stopped_by);

  // After stop(): what this node measured, as erg collect reads it from the spool.
  spool::SpoolContents contents() const;
  bool spooled() const { return spool_ != nullptr; }

 private:
  void flush();

  std::string node_;
  const spool::JobSpoolDirectory* folder_;
  Warn warn_;
  nlohmann::json header_;
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<NodeSpool> spool_;
  std::mutex flush_mutex_;           // the flusher thread and stop()
  std::vector<double> taken_;        // reused between flushes
  std::optional<SampleWindow> kept_;  // without a spool: the samples, thinned when full
  std::vector<std::string> notes_;
  std::optional<spool::SpoolFooter> footer_;
  double flush_s_ = default_spool_flush_s;
  std::unique_ptr<PeriodicThread> flusher_;  // last: stopped first
};

}  // namespace erg
