#pragma once
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/job_sources.hpp"
#include "config/settings.hpp"
#include "marks_file.hpp"
#include "node_reduction.hpp"
#include "node_layout.hpp"
#include "phase_book.hpp"
#include "session/node_session.hpp"
#include "session/spool_beside_trace.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// The agent inside one MPI process: the only global state of erg (one instance per process,
// shared by the C API and the PMPI wrappers, so a job that does both is accounted once).
// Node leaders run their node's session (lib/session) unless the Slurm node daemons sample
// every node of the job; rank 0 keeps the phase marks and, at finalize, has the job
// assembled (aggregator/) from the node leaders' spools.
class Agent {
 public:
  static Agent& instance();

  int init(MPI_Comm comm);
  // Without MPI (erg_init_ranks, agent_ranks.cpp): the ranks meet through files in their
  // job's spool folder; the node's rank 0 runs its session, rank 0 writes the trace.
  int init_ranks(int rank, int size, int local_rank, int local_size);
  int phase_begin(const char* name, const char* kind);
  int phase_items(unsigned long long n);
  int phase_end();
  int metric(const char* name, double value, int higher_is_better);
  // Who finalizes: the program (erg_finalize), the PMPI wrapper of MPI_Finalize (an earlier
  // erg_finalize is welcome, none is normal), or MPI_Finalize itself through the attribute
  // erg leaves on MPI_COMM_SELF (a linked program that never called erg_finalize: noted).
  enum class FinalizedBy { program, mpi_finalize_wrapper, mpi_finalize };
  int finalize(FinalizedBy by);
  // At exit, when neither erg_finalize nor MPI_Finalize ran (an exit() in the middle of the
  // job): the trace from the node spools, without MPI, with a note.
  void finalize_at_exit(int exit_status);

 private:
  enum class State { uninitialized, running, finalized, disabled };
  enum class Mode { mpi, ranks };

  Agent() = default;
  int check_running(const char* call);
  // ERG_* settings and the carbon figures, at init; said by the rank that says is true.
  int load_settings(bool says);
  // API misuse is the same on every rank: said by rank 0 (or by any rank before erg_init,
  // when ranks are unknown). A node's own trouble is said by that node's leader.
  void warn(const std::string& message);
  void warn_node(const std::string& message);
  double now_s() const;
  double sample_time_s();  // an extra sample where this rank's node samples, else the clock
  bool node_daemon_running() const;
  // A program that exits without MPI_Finalize (or erg_finalize) still gets its trace.
  void watch_process_exit();
  void start_node_session();
  void open_marks_file();
  JobMarks current_marks_locked() const;
  NodeSource own_node_source();
  // How the node leaders reduce their nodes to rank 0 at erg_finalize (node_reduction.hpp).
  NodeReduction node_reduction();
  JobInfo completed_job() const;
  // Rank 0; return whether the trace was written.
  bool write_daemons_job();
  bool write_assembled(JobTrace trace, const char* where);
  // Rank 0, from the job's spool folder (at exit, or without MPI): the trace with how the
  // program ended, and the folder removed. Throws when the trace cannot be written.
  void write_spooled_job(JobSources sources, int exit_status);
  // The same from the folder itself, one node in memory at a time (assemble_folder).
  void write_folder_job(const spool::JobSpoolDirectory& folder, int exit_status);
  // The files' side (agent_ranks.cpp).
  const spool::JobSpoolDirectory* job_folder() const;
  void meet_rank0();
  int finalize_ranks_locked(const std::string& unfinished, int exit_status);
  std::map<std::string, int> gather_rank_files(const spool::JobSpoolDirectory& folder);

  std::mutex mutex_;
  State state_ = State::uninitialized;
  Mode mode_ = Mode::mpi;
  int n_ranks_ = 1;
  bool leader_ = false;          // runs its node's session (unless node daemons do)
  int node_ranks_ = 0;           // the job's ranks on this node, where known
  double launch_start_unix_s_ = 0;  // without MPI: marks older than this are another job's
  std::unique_ptr<NodeLayout> layout_;  // from erg_init to erg_finalize
  int rank_ = 0;                          // kept after finalize: who says misuse
  pid_t init_pid_ = 0;                    // the process that called erg_init (not a fork of it)
  std::string node_;
  Settings settings_;
  CarbonSettings carbon_;  // resolved at erg_init, so that a bad region is said early, once
  double origin_s_ = 0;
  double start_unix_s_ = 0;  // rank 0's wall clock at time 0, the same on every rank
  bool daemons_sample_ = false;  // decided together: the node daemons sample every node
  bool out_usable_ = true;       // ERG_OUT's folder can take the trace (rank 0's verdict, shared)
  std::vector<pid_t> node_pids_;
  cpu_set_t node_cpus_{};
  std::vector<GpuSelection> node_gpus_;
  std::optional<SpoolBesideTrace> beside_;              // node leaders without node daemons
  std::optional<spool::JobSpoolDirectory> daemon_folder_;  // rank 0, beside node daemons
  std::unique_ptr<NodeSession> session_;                // node leaders without node daemons
  std::unique_ptr<MarksFile> marks_file_;               // rank 0
  std::atomic<bool> marks_changed_ = false;
  PhaseBook book_{[this](const std::string& m) { warn(m); }};
  std::vector<std::string> notes_;       // the job's, kept by rank 0
  std::vector<std::string> node_notes_;  // this node's, kept by its leader
  int warnings_printed_ = 0;
};

}  // namespace erg
