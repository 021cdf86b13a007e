// The agent without MPI (erg_init_ranks): the Python module under torchrun, under Slurm's
// srun, or in plain processes. Its ranks meet through files in their job's spool folder
// (beside ERG_OUT, or the Slurm node daemons' SPOOL/<job>/), in the layout that erg collect
// reads: the node's rank 0 (its leader) spools its node's samples there, rank 0 keeps the
// job's marks there, every other rank leaves its own marks there when it finishes, and rank 0
// assembles the job from that folder with the one job assembler (aggregator/).
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "agent.hpp"
#include "aggregator/job_assembler.hpp"
#include "aggregator/job_metadata.hpp"
#include "aggregator/job_outputs.hpp"
#include "config/node_name.hpp"
#include "erg/erg.h"
#include "rank_files.hpp"
#include "util/errors.hpp"
#include "util/json_text.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

// How long a rank other than 0 waits at erg_init_ranks for rank 0 to set the folder up (an
// earlier run's folder set aside, its first marks saved): the ranks of a launch start
// together, but rank 0 may import its libraries more slowly.
constexpr double meet_wait_s = 60.0;
// How long rank 0 waits at the end for the other ranks (ERG_FINALIZE_WAIT_S): they finish
// together in a data-parallel job, which synchronises every step.
constexpr double default_finalize_wait_s = 120.0;
// Beside node daemons: their flush that holds the job's end (as the MPI agent waits).
constexpr double daemon_flush_wait_s = 3.0;

double finalize_wait_s() {
  const char* text = std::getenv("ERG_FINALIZE_WAIT_S");
  if (!text || !*text) return default_finalize_wait_s;
  char* end = nullptr;
  double wait_s = std::strtod(text, &end);
  return *end == '\0' && wait_s >= 0 && wait_s <= 86400 ? wait_s : default_finalize_wait_s;
}

void pause_briefly() { std::this_thread::sleep_for(std::chrono::milliseconds(50)); }

}  // namespace

int Agent::init_ranks(int rank, int size, int local_rank, int local_size) {
  std::lock_guard lock(mutex_);
  if (state_ != State::uninitialized) return ERG_OK;  // idempotent, and one agent whoever came first
  if (size < 1 || rank < 0 || rank >= size || local_size < 1 || local_rank < 0 || local_rank >= local_size) {
    std::cerr << "erg: warning: erg_init_ranks(" << rank << ", " << size << ", " << local_rank << ", " << local_size
              << ") names no rank of a job; erg is off for this process\n";
    state_ = State::disabled;
    return ERG_ERR_ARGUMENT;
  }
  if (int rc = load_settings(rank == 0); rc != ERG_OK || state_ == State::disabled) return rc;
  mode_ = Mode::ranks;
  rank_ = rank;
  n_ranks_ = size;
  leader_ = local_rank == 0;
  node_ranks_ = local_size;
  node_ = node_name(settings_);
  // The models count the leader's launcher and all it started: torchrun, and srun's step,
  // start a node's ranks as their children.
  node_pids_ = {local_size > 1 ? ::getppid() : ::getpid()};
  if (sched_getaffinity(0, sizeof node_cpus_, &node_cpus_) != 0) CPU_ZERO(&node_cpus_);
  auto lookup = [](const char* name) -> const char* { return std::getenv(name); };
  node_gpus_ = {gpu_selection(GpuVendor::nvidia, lookup), gpu_selection(GpuVendor::amd, lookup)};
  launch_start_unix_s_ = rank_files::launch_start_unix_s();
  // Each rank asks for its own node: a Slurm job has the daemons on all its nodes or none.
  daemons_sample_ = node_daemon_running();
  const std::string out_problem = trace_path_problem(settings_.out);
  out_usable_ = out_problem.empty();
  if (daemons_sample_) {
    try {
      daemon_folder_ = spool::JobSpoolDirectory::open(settings_.spool, std::getenv("SLURM_JOB_ID"));
    } catch (const std::exception& e) {
      warn_node(std::string("the node daemons' spool folder cannot be opened: ") + e.what());
    }
  } else if (out_usable_) {
    if (rank_ == 0) try {
        SpoolBesideTrace::set_aside_earlier(settings_.out, [this](const std::string& m) { warn(m); });
      } catch (const std::exception& e) {
        warn(std::string(e.what()) + "; this job keeps no trace of its own");
      }
    else
      meet_rank0();
    try {
      beside_.emplace(settings_.out);
    } catch (const std::exception& e) {
      warn_node(std::string("the job's spool folder cannot be used (") + e.what() + "): this rank is not in the trace");
    }
  }
  origin_s_ = monotonic_now_s();
  start_unix_s_ = unix_now_s();
  state_ = State::running;
  watch_process_exit();
  if (leader_ && !daemons_sample_) start_node_session();
  if (rank_ == 0) {
    if (!out_usable_) warn(out_problem + "; the job runs, but its trace will be lost");
    open_marks_file();
    if (marks_file_) try {  // the other ranks wait for these: the folder is this job's
        marks_file_->save(current_marks_locked());
      } catch (const std::exception& e) {
        warn(std::string("the phase marks could not be saved: ") + e.what());
      }
  }
  return ERG_OK;
}

void Agent::meet_rank0() {
  const std::string path = SpoolBesideTrace::path_for(settings_.out);
  const double deadline_s = monotonic_now_s() + meet_wait_s;
  for (;;) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) try {  // asked first: polling never throws while it is not there
        if (rank_files::has_rank0_marks(spool::JobSpoolDirectory::open_at(path), launch_start_unix_s_)) return;
      } catch (const std::exception&) {  // not usable yet
      }
    if (monotonic_now_s() >= deadline_s) break;
    pause_briefly();
  }
  warn_node("rank 0 did not set up " + path + " within " + std::to_string(static_cast<int>(meet_wait_s)) +
            " s (has it called erg_init_ranks?); rank " + std::to_string(rank_) + " uses the folder as it is");
}

const spool::JobSpoolDirectory* Agent::job_folder() const {
  if (daemons_sample_) return daemon_folder_ ? &*daemon_folder_ : nullptr;
  return beside_ ? &beside_->folder() : nullptr;
}

std::map<std::string, int> Agent::gather_rank_files(const spool::JobSpoolDirectory& folder) {
  std::map<int, JobMarks> arrived;
  const double wait_s = finalize_wait_s();
  const double deadline_s = monotonic_now_s() + wait_s;
  for (;;) {
    // Only the files there are read: a job of many ranks is waited for at little cost.
    for (const auto& name : folder.list(".json", "marks"))
      if (auto r = rank_files::rank_of(name); r && *r > 0 && *r < n_ranks_ && !arrived.count(*r))
        if (auto marks = rank_files::read_rank(folder, *r, launch_start_unix_s_)) arrived.emplace(*r, std::move(*marks));
    if (static_cast<int>(arrived.size()) == n_ranks_ - 1 || monotonic_now_s() >= deadline_s) break;
    pause_briefly();
  }
  std::map<std::string, int> ranks_on{{node_, 1}};
  for (const auto& [r, marks] : arrived) {
    if (auto note = book_.add_rank(r, rank_marks_of(marks))) warn(*note);
    ++ranks_on[marks.node];
  }
  if (static_cast<int>(arrived.size()) < n_ranks_ - 1) {
    std::string missing;
    for (int r = 1; r < n_ranks_; ++r)
      if (!arrived.count(r)) missing += (missing.empty() ? "" : ", ") + std::to_string(r);
    warn("rank(s) " + missing + " did not finish within " + std::to_string(static_cast<int>(wait_s)) +
         " s (ERG_FINALIZE_WAIT_S): their items and metrics are not counted, and a node they sampled ends at its "
         "spool's last flush");
  }
  // Merged into rank 0's marks before the ranks' own go: erg collect, later, counts them once.
  if (marks_file_) try {
      marks_file_->save(current_marks_locked());
      for (const auto& [r, marks] : arrived) folder.remove("marks/" + rank_files::name_for(r));
    } catch (const std::exception& e) {
      warn(std::string("the phase marks could not be saved: ") + e.what());
    }
  return ranks_on;
}

int Agent::finalize_ranks_locked(const std::string& unfinished, int exit_status) {
  state_ = State::finalized;
  if (!unfinished.empty()) warn(unfinished);
  if (book_.has_open_phase()) {
    warn("phase '" + book_.open_phase_name() + "' was still open at erg_finalize; ended there");
    book_.end_open_phase(sample_time_s());
  }
  // A leader ends its node's spool before its rank leaves its marks: rank 0 takes those as
  // the sign that the node is done.
  std::optional<NodeSource> own_in_memory;  // rank 0's node, where its spool could not be written
  if (session_) {
    session_->stop(unfinished.empty() ? "erg_finalize" : "exit");
    if (rank_ == 0 && !session_->spooled()) own_in_memory = own_node_source();
    session_.reset();  // releases the spool's lock
  }
  const spool::JobSpoolDirectory* folder = job_folder();
  if (rank_ != 0) {
    if (folder) try {
        folder->write_mark(rank_files::name_for(rank_), json_text(marks_json(current_marks_locked())));
      } catch (const std::exception& e) {
        warn_node(std::string("rank ") + std::to_string(rank_) + "'s items and metrics cannot reach rank 0: " + e.what());
        return ERG_ERR_INTERNAL;
      }
    return ERG_OK;
  }
  if (marks_file_) marks_file_->stop_saving();
  if (!out_usable_) return ERG_OK;  // said at erg_init_ranks
  try {
    JobSources sources;
    std::map<std::string, int> ranks_on;
    if (folder) {
      ranks_on = gather_rank_files(*folder);
      if (daemons_sample_) {
        wait_for_spools(*folder, unix_now_s(), daemon_flush_wait_s);
      } else {  // each node's leader has ended its spool before its marks came; a moment more
        const double deadline_s = monotonic_now_s() + daemon_flush_wait_s;
        while (!job_spools_finished(*folder) && monotonic_now_s() < deadline_s) pause_briefly();
      }
      try {
        sources = read_job_sources(*folder);
      } catch (const UsageError&) {  // no spool: rank 0's node in memory, if anything
        if (!own_in_memory) throw;
        sources.marks.push_back(current_marks_locked());
      }
    } else {
      sources.marks.push_back(current_marks_locked());
    }
    if (own_in_memory) sources.nodes.push_back(std::move(*own_in_memory));
    if (sources.nodes.empty()) throw std::runtime_error("no node of the job was measured");
    for (auto& node : sources.nodes)
      if (auto it = ranks_on.find(node.spool.node.node); it != ranks_on.end()) node.n_ranks = it->second;
    write_spooled_job(std::move(sources), exit_status);
  } catch (const std::exception& e) {
    warn(std::string("the trace was not written: ") + e.what());
    if (beside_) warn(SpoolBesideTrace::kept_note(settings_.out));
    marks_file_.reset();
    return ERG_ERR_INTERNAL;
  }
  marks_file_.reset();
  return ERG_OK;
}

}  // namespace erg
