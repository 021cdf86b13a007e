#pragma once
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/job_marks.hpp"
#include "config/settings.hpp"
#include "sampler/sampler.hpp"
#include "session/spool_beside_trace.hpp"
#include "util/periodic_thread.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// The agent inside one MPI process: the only global state of erg (one instance per process,
// shared by the C API and the PMPI wrappers, so a job that does both is accounted once).
class Agent {
 public:
  static Agent& instance();

  int init(MPI_Comm comm);
  int phase_begin(const char* name, const char* kind);
  int phase_items(unsigned long long n);
  int phase_end();
  int metric(const char* name, double value, int higher_is_better);
  // quiet: from the MPI_Finalize wrapper, where an earlier erg_finalize is expected.
  int finalize(bool quiet);

 private:
  enum class State { uninitialized, running, finalized, disabled };

  Agent() = default;
  int check_running(const char* call);
  // API misuse is the same on every rank: said by rank 0 (or by any rank before erg_init,
  // when ranks are unknown). A node's own trouble is said by that node's leader.
  void warn(const std::string& message);
  void warn_node(const std::string& message);
  double now_s() const;
  // The crash-safe copies that let a killed job keep what was measured: each node leader's
  // samples in a spool beside the trace, and rank 0's phase marks (docs/spool-format.md).
  void open_spool_beside_trace();
  void open_marks_folder();
  JobMarks current_marks_locked() const;
  static std::string marks_file_name();
  void save_marks(const JobMarks& marks);
  void save_marks_if_changed();  // from the marks' flusher thread
  void end_open_phase(double time_s);
  NodeTrace node_trace_for_gather();
  // Both return whether the trace was written.
  bool write_job(std::vector<NodeTrace> nodes);
  // Inside a job that the Slurm node daemon samples: leave the phases in its spool and
  // write ERG_OUT from the spools, so that nothing is counted twice.
  bool write_job_with_daemon(std::vector<NodeTrace> nodes);
  bool node_daemon_running() const;

  std::mutex mutex_;
  State state_ = State::uninitialized;
  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Comm node_comm_ = MPI_COMM_NULL;
  MPI_Comm leaders_comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, node_rank_ = 0, node_size_ = 1;
  std::string node_;
  Settings settings_;
  CarbonSettings carbon_;  // resolved at erg_init, so that a bad region is said early, once
  double origin_s_ = 0;
  std::chrono::system_clock::time_point start_wall_;
  double start_unix_s_ = 0;  // rank 0's wall clock at time 0, the same on every rank
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<SpoolBesideTrace> spool_;          // node leaders without a node daemon
  std::optional<spool::JobSpoolDirectory> daemon_folder_;  // rank 0, beside a node daemon
  const spool::JobSpoolDirectory* marks_folder_ = nullptr;  // rank 0: the daemon's folder, or spool_'s
  std::atomic<bool> marks_changed_ = false;  // also set by the flusher when a save failed
  std::unique_ptr<PeriodicThread> marks_flusher_;
  std::optional<Phase> open_phase_;
  std::vector<Phase> phases_;
  std::vector<Metric> metrics_;
  std::vector<std::string> notes_;       // the job's, kept by rank 0
  std::vector<std::string> node_notes_;  // this node's, kept by its leader
  int warnings_printed_ = 0;
  bool daemon_samples_node_ = false;  // this node leader leaves sampling to the node daemon
};

}  // namespace erg
