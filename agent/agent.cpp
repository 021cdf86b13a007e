#include "agent.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "accounting/emission_factors.hpp"
#include "aggregator/job_assembler.hpp"
#include "aggregator/job_metadata.hpp"
#include "aggregator/job_outputs.hpp"
#include "aggregator/job_sources.hpp"
#include "config/node_name.hpp"
#include "erg/erg.h"
#include "node_reduction.hpp"
#include "rank_gather.hpp"
#include "report/text_report.hpp"
#include "sensors/models/process_tree.hpp"
#include "session/node_allocation.hpp"
#include "session/sensor_settings.hpp"
#include "util/monotonic_clock.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

constexpr int max_warnings_printed = 20;
// How long rank 0 waits, beside node daemons, for their spools to reach the job's end: a
// flush and a sample interval at the defaults (1 s each), with room for a loaded node.
constexpr double daemon_flush_wait_s = 3.0;
// How long rank 0, exiting without MPI_Finalize, waits for the other nodes' leaders to end
// their spools. Not long: mpirun kills every rank about a second after one exits without
// MPI_Finalize, and a spool still written is read as far as its last flush.
constexpr double exit_wait_s = 0.5;

// MPI deletes MPI_COMM_SELF's attributes first thing in MPI_Finalize, while every MPI call
// still works (MPI 3.1, 8.7.1): the standard hook for a library to finish its work.
int finalize_at_mpi_finalize(MPI_Comm, int, void*, void*) {
  try {
    Agent::instance().finalize(Agent::FinalizedBy::mpi_finalize);
  } catch (...) {  // never into MPI's C frames
  }
  return MPI_SUCCESS;
}

void finalize_at_process_exit(int exit_status, void*) {
  try {
    Agent::instance().finalize_at_exit(exit_status);
  } catch (...) {  // never out of an exit handler
  }
}

bool mpi_usable() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

}  // namespace

Agent& Agent::instance() {
  static Agent agent;
  return agent;
}

void Agent::warn(const std::string& message) {
  bool rank_known = state_ != State::uninitialized || mode_ == Mode::ranks;
  if (rank_known && rank_ != 0) return;
  notes_.push_back(valid_utf8(message));
  if (warnings_printed_++ < max_warnings_printed) std::cerr << "erg: warning: " << escape_controls(notes_.back()) << "\n";
}

void Agent::warn_node(const std::string& message) {
  node_notes_.push_back(message);
  std::cerr << "erg[" << node_ << "]: warning: " << message << "\n";
}

double Agent::now_s() const { return monotonic_now_s() - origin_s_; }

double Agent::sample_time_s() { return session_ ? session_->sample_now() : now_s(); }

int Agent::check_running(const char* call) {
  switch (state_) {
    case State::running: return ERG_OK;
    case State::disabled: return ERG_OK;
    case State::uninitialized:
      warn(std::string(call) + " called before erg_init; ignored");
      return ERG_ERR_NOT_INITIALIZED;
    case State::finalized:
      warn(std::string(call) + " called after erg_finalize; ignored");
      return ERG_ERR_FINALIZED;
  }
  return ERG_ERR_INTERNAL;
}

int Agent::load_settings(bool says) {
  try {
    settings_ = load_settings_from_environment();
  } catch (const std::exception& e) {  // every rank sees the same environment: the same verdict
    if (says) std::cerr << "erg: warning: " << e.what() << "; erg is off for this job\n";
    state_ = State::disabled;
    return ERG_ERR_ARGUMENT;
  }
  if (settings_.disable) {
    state_ = State::disabled;
    return ERG_OK;
  }
  try {
    carbon_ = resolve_carbon(settings_, resolve_data_dir(settings_));
  } catch (const std::exception& e) {  // an unknown region must not cost the job its accounting
    Settings defaults_only = settings_;
    defaults_only.region.clear();
    defaults_only.mix.clear();
    carbon_ = resolve_carbon(defaults_only, resolve_data_dir(settings_));
    carbon_.emission_factor_source += " (" + std::string(e.what()) + ")";
    if (says) std::cerr << "erg: warning: " << e.what() << "; using the world average\n";
  }
  return ERG_OK;
}

int Agent::init(MPI_Comm comm) {
  std::lock_guard lock(mutex_);
  if (state_ != State::uninitialized) return ERG_OK;  // idempotent: linked and preloaded, or called twice
  if (!mpi_usable()) {
    std::cerr << "erg: warning: erg_init needs MPI to be initialised; erg is off for this job\n";
    state_ = State::disabled;
    return ERG_ERR_MPI;
  }
  int world_rank = 0;
  MPI_Comm_rank(comm, &world_rank);
  if (int rc = load_settings(world_rank == 0); rc != ERG_OK || state_ == State::disabled) return rc;
  node_ = node_name(settings_);
  layout_ = std::make_unique<NodeLayout>(comm, node_);
  rank_ = layout_->rank();
  n_ranks_ = layout_->size();
  leader_ = layout_->is_leader();
  node_ranks_ = layout_->node_size();
  node_pids_ = layout_->node_pids();
  node_cpus_ = layout_->node_cpus();
  // Ranks of a node may see different GPUs (one each, say): the node counts their union, once.
  node_gpus_ = layout_->node_gpus();

  // Decided together, before anything is sampled: the node daemons sample this job only if
  // they run on every node; else every node leader samples its node itself.
  int daemon_here = layout_->is_leader() ? node_daemon_running() : 1;
  int everywhere = 0;
  MPI_Allreduce(&daemon_here, &everywhere, 1, MPI_INT, MPI_LAND, layout_->comm());
  daemons_sample_ = everywhere != 0;

  if (layout_->rank() == 0 && !daemons_sample_) try {
      SpoolBesideTrace::set_aside_earlier(settings_.out, [this](const std::string& m) { warn(m); });
    } catch (const std::exception& e) {  // another job writes the same trace: said; this one runs on
      warn(std::string(e.what()) + "; this job keeps no trace of its own");
    }
  // Whether ERG_OUT's folder can take the trace, said by rank 0 at the start (and confirmed
  // at the end): where it cannot, no node keeps a spool beside it or says so again.
  int out_usable = 1;
  std::string out_problem;
  if (layout_->rank() == 0) {
    out_problem = trace_path_problem(settings_.out);
    out_usable = out_problem.empty();
  }
  MPI_Bcast(&out_usable, 1, MPI_INT, 0, layout_->comm());
  out_usable_ = out_usable != 0;
  // One time base: every node's time 0 is the end of this barrier (after which leaders spool).
  MPI_Barrier(layout_->comm());
  origin_s_ = monotonic_now_s();
  start_unix_s_ = unix_now_s();
  MPI_Bcast(&start_unix_s_, 1, MPI_DOUBLE, 0, layout_->comm());
  state_ = State::running;
  int keyval = MPI_KEYVAL_INVALID;
  if (MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, finalize_at_mpi_finalize, &keyval, nullptr) == MPI_SUCCESS) {
    MPI_Comm_set_attr(MPI_COMM_SELF, keyval, nullptr);
    MPI_Comm_free_keyval(&keyval);  // the attribute keeps it alive until MPI_Finalize
  }
  // A program that exits without MPI_Finalize: registered after this instance was built, so
  // it runs before the instance is destroyed. on_exit (glibc), not atexit: it has the status.
  watch_process_exit();
  if (layout_->is_leader() && !daemons_sample_) start_node_session();
  if (layout_->rank() == 0) {
    if (!out_usable_) warn(out_problem + "; the job runs, but its trace will be lost");
    open_marks_file();
  }
  return ERG_OK;
}

void Agent::watch_process_exit() {
  init_pid_ = ::getpid();
  ::on_exit(finalize_at_process_exit, nullptr);
}

void Agent::start_node_session() {
  if (out_usable_ && !beside_) try {
    beside_.emplace(settings_.out);
  } catch (const std::exception& e) {
    warn_node(std::string("no crash-safe copy of this node's samples (") + e.what() +
              "): if the job is killed, they are lost");
  }
  try {
    NodeSessionOptions options;
    options.sensors = sensor_settings_from(settings_);
    options.sensors.nvidia_gpus = node_gpus_[0];
    options.sensors.amd_gpus = node_gpus_[1];
    options.sensors.job_roots = fixed_roots(node_pids_);
    options.node = node_;
    options.interval_s = settings_.interval_s;
    options.origin_s = origin_s_;
    options.start_unix_s = start_unix_s_;
    options.job = job_info_from_environment();
    options.sampler_cpus = node_cpus_;
    options.share = node_share_for(settings_, node_, CPU_COUNT(&node_cpus_), online_cpus());
    const std::string node = node_;
    session_ = std::make_unique<NodeSession>(options, beside_ ? &beside_->folder() : nullptr,
                                             [node](const std::string& m) { std::cerr << "erg[" << node << "]: " << m << "\n"; });
    session_->start();
  } catch (const std::exception& e) {
    warn_node(std::string("this node cannot be sampled: ") + e.what());
    session_.reset();
  }
}

bool Agent::node_daemon_running() const {
  const char* job = std::getenv("SLURM_JOB_ID");
  if (!job || settings_.spool.empty()) return false;
  try {
    auto dir = spool::JobSpoolDirectory::open(settings_.spool, job);
    auto spools = dir.list(".spool");
    return std::find(spools.begin(), spools.end(), node_ + ".spool") != spools.end();
  } catch (const std::exception&) {
    return false;
  }
}

void Agent::open_marks_file() {
  if (daemons_sample_ && !daemon_folder_) try {  // erg_init_ranks has it open already
      daemon_folder_ = spool::JobSpoolDirectory::open(settings_.spool, std::getenv("SLURM_JOB_ID"));
    } catch (const std::exception&) {  // said at finalize, when the marks are needed
    }
  const spool::JobSpoolDirectory* folder = job_folder();
  if (!folder) return;
  marks_file_ = std::make_unique<MarksFile>(
      *folder, default_spool_flush_s,
      [this]() -> std::optional<JobMarks> {
        // Never wait for the job's own calls: an occupied agent is saved at the next flush.
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock() || !marks_changed_ || state_ != State::running) return std::nullopt;
        marks_changed_ = false;
        return current_marks_locked();
      },
      [this] { marks_changed_ = true; });
}

JobMarks Agent::current_marks_locked() const {
  JobMarks marks = book_.marks(start_unix_s_, n_ranks_, notes_);
  marks.rank = rank_;
  if (mode_ == Mode::ranks) marks.node = node_;  // without MPI, how the assembler counts a node's ranks
  return marks;
}

int Agent::phase_begin(const char* name, const char* kind) {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_phase_begin"); rc != ERG_OK || state_ == State::disabled) return rc;
  try {
    int rc = book_.begin(name, kind, sample_time_s());
    marks_changed_ = true;
    return rc;
  } catch (const std::exception&) {
    return ERG_ERR_INTERNAL;
  }
}

int Agent::phase_items(unsigned long long n) {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_phase_items"); rc != ERG_OK || state_ == State::disabled) return rc;
  int rc = book_.items(n);
  marks_changed_ = true;
  return rc;
}

int Agent::phase_end() {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_phase_end"); rc != ERG_OK || state_ == State::disabled) return rc;
  if (!book_.has_open_phase()) return book_.end(0);
  try {
    int rc = book_.end(sample_time_s());
    marks_changed_ = true;
    return rc;
  } catch (const std::exception&) {
    return ERG_ERR_INTERNAL;
  }
}

int Agent::metric(const char* name, double value, int higher_is_better) {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_metric"); rc != ERG_OK || state_ == State::disabled) return rc;
  try {
    int rc = book_.metric(name, value, higher_is_better);
    marks_changed_ = true;
    return rc;
  } catch (const std::exception&) {
    return ERG_ERR_INTERNAL;
  }
}

NodeSource Agent::own_node_source() {
  NodeSource own;
  own.spool.header = nlohmann::json::object();
  own.spool.node.node = node_;
  try {
    if (session_) {
      session_->stop("erg_finalize");
      own.spool = session_->contents();
    } else if (!daemons_sample_) {
      own.spool.node.notes.push_back("no sampler ran on this node");
    }
  } catch (const std::exception& e) {
    own.spool.node.notes.push_back(std::string("sampler failed: ") + e.what());
  }
  own.n_ranks = node_ranks_;
  own.spool.node.notes.insert(own.spool.node.notes.end(), node_notes_.begin(), node_notes_.end());
  return own;
}

NodeReduction Agent::node_reduction() {
  NodeReduction how;
  how.job_start_unix_s = start_unix_s_;
  how.carbon = carbon_;
  if (out_usable_) how.trace_path = settings_.out;
  how.make_record = [this](const NodeSource& own, double end_s, int node_ranks) {
    JobSources sources;
    sources.nodes.push_back(own);  // its header: the job's identity, as the spools recorded it
    sources.marks.push_back(current_marks_locked());
    JobTrace record = assemble_job_record(std::move(sources), completed_job(), carbon_, start_unix_s_, end_s, node_ranks);
    record.interval_s = settings_.interval_s;  // every leader's, also where rank 0's session failed
    return record;
  };
  return how;
}

JobInfo Agent::completed_job() const {
  JobInfo job = job_info_from_environment();
  job.job_state = "completed";  // its ranks reached the end together
  job.exit_code = 0;
  return job;
}

bool Agent::write_daemons_job() {
  if (!daemon_folder_) throw std::runtime_error("the node daemons' spool folder cannot be opened");
  // The daemons flush every second: the trace waits for the flush that holds the job's end.
  wait_for_spools(*daemon_folder_, unix_now_s(), daemon_flush_wait_s);
  // The marks saved above are among its marks.
  return write_assembled(assemble_folder(*daemon_folder_, completed_job(), carbon_, settings_.out),
                         " (from the node daemons' spools)");
}

bool Agent::write_assembled(JobTrace trace, const char* where) {
  if (daemons_sample_) trace.job.job_id = std::getenv("SLURM_JOB_ID");
  JobReport report = write_job_outputs(trace, settings_.out);
  std::cerr << text_report(report) << "  trace           " << settings_.out;
  if (*where) std::cerr << where;
  else std::cerr << " (and " << json_path_for(settings_.out) << ")";
  std::cerr << "\n";
  return true;
}

void Agent::write_spooled_job(JobSources sources, int exit_status) {
  std::vector<std::string> spools;
  for (const NodeSource& node : sources.nodes) spools.push_back(node.spool.node.node + ".spool");
  JobInfo job = job_info_from_environment();
  job.job_state = exit_status == 0 ? "completed" : "failed";
  job.exit_code = exit_status;
  bool written = write_assembled(assemble_job(std::move(sources), job, carbon_),
                                 daemons_sample_ ? " (from the node daemons' spools)" : "");
  if (written && beside_) {  // the trace holds it all: the folder goes
    if (marks_file_) marks_file_->remove();
    for (const std::string& name : spools) beside_->remove(name);
  }
}

void Agent::write_folder_job(const spool::JobSpoolDirectory& folder, int exit_status) {
  JobInfo job = job_info_from_environment();
  job.job_state = exit_status == 0 ? "completed" : "failed";
  job.exit_code = exit_status;
  std::vector<std::string> spools;
  JobTrace trace = assemble_folder(folder, job, carbon_, settings_.out, std::nullopt, &spools);
  bool written = write_assembled(std::move(trace), daemons_sample_ ? " (from the node daemons' spools)" : "");
  if (written && beside_) {  // the trace holds it all: the folder goes
    if (marks_file_) marks_file_->remove();
    for (const std::string& name : spools) beside_->remove(name);
  }
}

void Agent::finalize_at_exit(int exit_status) {
  // A forked child inherits the handler, but none of the agent's threads: it must do nothing.
  if (::getpid() != init_pid_) return;
  // Never wait at exit: exit() may come from a signal handler that interrupted an erg call,
  // or another thread may be in erg_finalize's collectives with ranks that are gone.
  std::unique_lock lock(mutex_, std::try_to_lock);
  for (int tries = 0; !lock.owns_lock() && tries < 20; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    lock.try_lock();
  }
  if (!lock.owns_lock() || state_ != State::running) return;
  if (mode_ == Mode::ranks) {
    finalize_ranks_locked("the program exited without erg_finalize: its trace was written at exit", exit_status);
    return;
  }
  state_ = State::finalized;
  // mpirun answers a rank's exit without MPI_Finalize by SIGTERM to the others, SIGKILL a
  // second later: the process is ending anyway, and that second is enough for the trace.
  // Only where there is work to finish: a node's spool, or rank 0's trace.
  if (session_ || (layout_ && layout_->rank() == 0))
    for (int signal : {SIGTERM, SIGINT, SIGHUP}) std::signal(signal, SIG_IGN);
  // No MPI here: the other ranks may be gone. Each node leader ends its spool; rank 0 builds
  // the trace from the spools (as erg collect would), after waiting a little for the other
  // nodes' leaders to end theirs.
  warn("the program exited without MPI_Finalize (or erg_finalize): the trace was assembled at exit from the "
       "node spools; items and metrics of ranks other than 0 are not in it");
  if (book_.has_open_phase()) book_.end_open_phase(sample_time_s());
  if (marks_file_) {
    marks_file_->stop_saving();
    try {
      marks_file_->save(current_marks_locked());
    } catch (const std::exception& e) {
      warn(std::string("the phase marks could not be saved: ") + e.what());
    }
  }
  if (session_) {
    session_->stop("the program exited without MPI_Finalize");
    session_.reset();  // releases the spool's lock: rank 0 waits for every lock to go
  }
  if (!layout_ || layout_->rank() != 0) return;
  const spool::JobSpoolDirectory* folder = job_folder();
  if (!folder) return;
  try {
    if (daemons_sample_) {
      wait_for_spools(*folder, unix_now_s(), daemon_flush_wait_s);
    } else {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(exit_wait_s);
      while (!job_spools_finished(*folder) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Also a spool still written: mpirun kills its node within a second, and the trace holds
    // it up to its last flush.
    write_folder_job(*folder, exit_status);
  } catch (const std::exception& e) {
    std::cerr << "erg: warning: the trace was not written at exit: " << escape_controls(e.what()) << "\n";
    if (beside_) std::cerr << "erg: warning: " << SpoolBesideTrace::kept_note(settings_.out) << "\n";
  }
  marks_file_.reset();
}

int Agent::finalize(FinalizedBy by) {
  std::lock_guard lock(mutex_);
  if (state_ == State::disabled) return ERG_OK;
  if (state_ != State::running) {
    if (by != FinalizedBy::program) return ERG_OK;
    return check_running("erg_finalize");
  }
  if (mode_ == Mode::ranks) return finalize_ranks_locked("", 0);
  state_ = State::finalized;
  if (by == FinalizedBy::mpi_finalize)
    warn("the program did not call erg_finalize; its trace was written at MPI_Finalize");
  if (!mpi_usable()) {
    warn("erg_finalize called after MPI_Finalize; the trace cannot be gathered");
    if (session_) session_->stop("erg_finalize after MPI_Finalize");
    return ERG_ERR_MPI;
  }
  int rc = ERG_OK;
  if (book_.has_open_phase()) {
    warn("phase '" + book_.open_phase_name() + "' was still open at erg_finalize; ended there");
    book_.end_open_phase(sample_time_s());
  }
  // Items from every rank, metrics from any rank, before rank 0 saves the marks.
  std::vector<RankMarks> ranks = gather_rank_marks(book_.rank_marks(), layout_->comm());
  for (size_t r = 1; r < ranks.size(); ++r)
    if (auto note = book_.add_rank(static_cast<int>(r), ranks[r])) warn(*note);
  if (marks_file_) {
    marks_file_->stop_saving();
    try {  // complete before the trace is tried: a full disk must not lose the phases
      marks_file_->save(current_marks_locked());
    } catch (const std::exception& e) {
      warn(std::string("the phase marks could not be saved: ") + e.what());
    }
  }
  int written = 0;
  bool node_file_written = false;
  if (layout_->is_leader()) {
    std::optional<JobTrace> job;
    std::string failure;
    if (!daemons_sample_) try {
        ReducedNode reduced = reduce_nodes(own_node_source(), node_reduction(), layout_->leaders());
        job = std::move(reduced.job);
        node_file_written = reduced.node_file_written;
      } catch (const std::exception& e) {  // rank 0 only, after every collective step
        failure = e.what();
      }
    if (layout_->rank() == 0) {
      try {
        if (!failure.empty()) throw std::runtime_error(failure);
        written = daemons_sample_ ? write_daemons_job() : write_assembled(std::move(*job), "");
      } catch (const std::exception& e) {
        warn(std::string("the trace was not written: ") + e.what());
        if (beside_) warn(SpoolBesideTrace::kept_note(settings_.out));
        rc = ERG_ERR_INTERNAL;
      }
      if (written && beside_ && marks_file_) marks_file_->remove();
    }
  }
  // Also what keeps every rank here until rank 0 is done: the job may go on using MPI after us.
  MPI_Bcast(&written, 1, MPI_INT, 0, layout_->comm());
  marks_file_.reset();
  if (written && node_file_written && beside_ && session_ && session_->spooled()) beside_->remove(layout_->node() + ".spool");
  layout_.reset();
  return rc;
}

}  // namespace erg
