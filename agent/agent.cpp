#include "agent.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

#include "accounting/emission_factors.hpp"
#include "aggregator/job_metadata.hpp"
#include "aggregator/job_marks.hpp"
#include "aggregator/job_outputs.hpp"
#include "aggregator/spool_collect.hpp"
#include "config/node_name.hpp"
#include "node_gather.hpp"
#include "erg/erg.h"
#include "report/text_report.hpp"
#include "sensors/node_sensors.hpp"
#include "session/sensor_settings.hpp"
#include "sensors/gpu/gpu_visibility.hpp"
#include "sensors/models/process_tree.hpp"
#include "spool/spool_directory.hpp"
#include "spool/spool_header.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

constexpr int max_warnings_printed = 20;
constexpr size_t max_node_name = 255;

bool mpi_usable() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

bool valid_kind(const std::string& kind) {
  return kind == "search" || kind == "train" || kind == "inference" || kind == "other";
}

// Splits comm by node name: ranks with the same name share a color, the lowest rank first.
int node_color(MPI_Comm comm, const std::string& node, int size) {
  std::vector<char> mine(max_node_name + 1, '\0'), all((max_node_name + 1) * static_cast<size_t>(size));
  std::strncpy(mine.data(), node.c_str(), max_node_name);
  MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_CHAR, all.data(), static_cast<int>(mine.size()),
                MPI_CHAR, comm);
  for (int r = 0; r < size; ++r)
    if (std::strncmp(all.data() + static_cast<size_t>(r) * mine.size(), mine.data(), mine.size()) == 0) return r;
  return 0;
}

std::string encode(const GpuSelection& s) {
  std::string text = s.all ? "*" : s.from + ":";
  for (const auto& id : s.ids) text += id + ",";
  return text;
}

GpuSelection decode(const std::string& text) {
  if (text.empty() || text[0] == '*') return {};
  GpuSelection s;
  s.all = false;
  auto colon = text.find(':');
  s.from = text.substr(0, colon);
  std::stringstream in(text.substr(colon + 1));
  for (std::string id; std::getline(in, id, ',');)
    if (!id.empty()) s.ids.push_back(id);
  return s;
}

// The CPUs that any rank of the node may run on, merged on its leader: where its sampler may run.
cpu_set_t node_cpus(MPI_Comm node_comm) {
  int size = 1;
  MPI_Comm_size(node_comm, &size);
  cpu_set_t mine;
  CPU_ZERO(&mine);
  if (sched_getaffinity(0, sizeof mine, &mine) != 0) CPU_ZERO(&mine);
  std::vector<cpu_set_t> all(static_cast<size_t>(size));
  MPI_Gather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, 0, node_comm);
  cpu_set_t merged;
  CPU_ZERO(&merged);
  for (auto& cpus : all) CPU_OR(&merged, &merged, &cpus);
  return merged;
}

// The NVIDIA and AMD GPU selections of every rank of the node, merged on its leader.
std::vector<GpuSelection> gather_gpu_selections(MPI_Comm node_comm) {
  constexpr size_t width = 1024;
  int size = 1, rank = 0;
  MPI_Comm_size(node_comm, &size);
  MPI_Comm_rank(node_comm, &rank);
  auto lookup = [](const char* name) -> const char* { return std::getenv(name); };
  std::vector<GpuSelection> merged;
  for (GpuVendor vendor : {GpuVendor::nvidia, GpuVendor::amd}) {
    std::vector<char> mine(width, '\0'), all(width * static_cast<size_t>(size));
    std::strncpy(mine.data(), encode(gpu_selection(vendor, lookup)).c_str(), width - 1);
    MPI_Gather(mine.data(), static_cast<int>(width), MPI_CHAR, all.data(), static_cast<int>(width), MPI_CHAR, 0,
               node_comm);
    std::vector<GpuSelection> selections;
    if (rank == 0)
      for (int r = 0; r < size; ++r) selections.push_back(decode(std::string(all.data() + r * width)));
    merged.push_back(merge(selections));
  }
  return merged;
}

}  // namespace

Agent& Agent::instance() {
  static Agent agent;
  return agent;
}

void Agent::warn(const std::string& message) {
  bool rank_known = state_ != State::uninitialized;
  if (rank_known && rank_ != 0) return;
  notes_.push_back(message);
  if (warnings_printed_++ < max_warnings_printed) std::cerr << "erg: warning: " << message << "\n";
}

void Agent::warn_node(const std::string& message) {
  node_notes_.push_back(message);
  std::cerr << "erg[" << node_ << "]: warning: " << message << "\n";
}

double Agent::now_s() const { return monotonic_now_s() - origin_s_; }

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
  try {
    settings_ = load_settings_from_environment();
  } catch (const std::exception& e) {  // every rank sees the same environment: the same verdict
    if (world_rank == 0) std::cerr << "erg: warning: " << e.what() << "; erg is off for this job\n";
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
    if (world_rank == 0) std::cerr << "erg: warning: " << e.what() << "; using the world average\n";
  }
  MPI_Comm_dup(comm, &comm_);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  node_ = node_name(settings_);
  MPI_Comm_split(comm_, node_color(comm_, node_, size_), rank_, &node_comm_);
  MPI_Comm_rank(node_comm_, &node_rank_);
  MPI_Comm_size(node_comm_, &node_size_);
  MPI_Comm_split(comm_, node_rank_ == 0 ? 0 : MPI_UNDEFINED, rank_, &leaders_comm_);

  // The node leader models the CPU share and memory of all of its node's ranks.
  pid_t pid = ::getpid();
  std::vector<int> node_pids(static_cast<size_t>(node_size_));
  MPI_Gather(&pid, 1, MPI_INT, node_pids.data(), 1, MPI_INT, 0, node_comm_);

  const cpu_set_t sampler_cpus = node_cpus(node_comm_);
  // Ranks of a node may see different GPUs (one each, say): the node counts their union, once.
  std::vector<GpuSelection> node_gpus = gather_gpu_selections(node_comm_);

  if (rank_ == 0) SpoolBesideTrace::set_aside_earlier(settings_.out, [this](const std::string& m) { warn(m); });
  // One time base: every node's time 0 is the end of this barrier (after which leaders spool).
  MPI_Barrier(comm_);
  origin_s_ = monotonic_now_s();
  start_wall_ = std::chrono::system_clock::now();
  start_unix_s_ = unix_seconds(start_wall_);
  MPI_Bcast(&start_unix_s_, 1, MPI_DOUBLE, 0, comm_);
  state_ = State::running;
  daemon_samples_node_ = node_rank_ == 0 && node_daemon_running();
  if (node_rank_ == 0 && !daemon_samples_node_) {
    try {
      SensorSettings sensor_settings = sensor_settings_from(settings_);
      sensor_settings.nvidia_gpus = node_gpus[0];
      sensor_settings.amd_gpus = node_gpus[1];
      sensor_settings.job_roots = fixed_roots(std::vector<pid_t>(node_pids.begin(), node_pids.end()));
      NodeSensors node = discover_node_sensors(sensor_settings);
      for (const auto& w : node.warnings) std::cerr << "erg[" << node_ << "]: warning: " << w << "\n";
      sampler_ = std::make_unique<Sampler>(std::move(node), settings_.interval_s, origin_s_, node_);
      if (CPU_COUNT(&sampler_cpus) > 0) sampler_->set_cpus(sampler_cpus);
      open_spool_beside_trace();
      sampler_->start();
    } catch (const std::exception& e) {
      warn_node(std::string("this node cannot be sampled: ") + e.what());
      sampler_.reset();
    }
  }
  if (rank_ == 0) {
    if (std::string problem = trace_path_problem(settings_.out); !problem.empty())
      warn(problem + "; the job runs, but its trace will be lost");
    open_marks_folder();
  }
  return ERG_OK;
}

void Agent::open_spool_beside_trace() {
  try {
    auto header = spool::spool_header(sampler_->trace(), job_info_from_environment(), start_unix_s_, settings_.interval_s);
    const std::string node = node_;
    spool_ = std::make_unique<SpoolBesideTrace>(settings_.out, *sampler_, header, [node](const std::string& e) {
      std::cerr << "erg[" << node << "]: warning: " << e << "\n";
    });
  } catch (const std::exception& e) {
    warn_node(std::string("no crash-safe copy of this node's samples (") + e.what() +
              "): if the job is killed, they are lost");
  }
}

void Agent::open_marks_folder() {
  if (daemon_samples_node_) {
    try {
      daemon_folder_ = spool::JobSpoolDirectory::open(settings_.spool, std::getenv("SLURM_JOB_ID"));
      marks_folder_ = &*daemon_folder_;
    } catch (const std::exception&) {  // said at finalize, when the marks are needed
    }
  } else if (spool_) {
    marks_folder_ = &spool_->folder();
  }
  if (marks_folder_) marks_flusher_ = std::make_unique<PeriodicThread>(default_spool_flush_s, [this] { save_marks_if_changed(); });
}

std::string Agent::marks_file_name() { return "agent-" + std::to_string(::getpid()) + ".json"; }

JobMarks Agent::current_marks_locked() const {
  JobMarks marks;
  marks.start_unix_s = start_unix_s_;
  marks.n_ranks = size_;
  marks.phases = phases_;
  marks.open_phase = open_phase_;
  marks.metrics = metrics_;
  marks.notes = notes_;
  return marks;
}

void Agent::save_marks(const JobMarks& marks) {
  marks_folder_->write_mark(marks_file_name(), marks_json(marks).dump());
}

void Agent::save_marks_if_changed() {
  JobMarks marks;
  {
    // Never wait for the job's own calls: an occupied agent is saved at the next flush.
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || !marks_changed_ || state_ != State::running) return;
    marks = current_marks_locked();
    marks_changed_ = false;
  }
  try {
    save_marks(marks);
  } catch (const std::exception&) {  // a full disk: tried again at the next flush, and at finalize
    marks_changed_ = true;
  }
}

void Agent::end_open_phase(double time_s) {
  if (!open_phase_) return;
  open_phase_->end_s = time_s;
  phases_.push_back(*open_phase_);
  open_phase_.reset();
}

int Agent::phase_begin(const char* name, const char* kind) {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_phase_begin"); rc != ERG_OK || state_ == State::disabled) return rc;
  try {
    int rc = ERG_OK;
    double time_s = sampler_ ? sampler_->sample_now() : now_s();
    if (open_phase_) {
      warn("erg_phase_begin(" + std::string(name ? name : "") + ") while phase '" + open_phase_->name +
           "' is open; that phase is ended here (phases do not nest)");
      end_open_phase(time_s);
      rc = ERG_ERR_ORDER;
    }
    Phase phase;
    phase.name = name && *name ? name : "unnamed";
    phase.kind = kind ? kind : "";
    if (!valid_kind(phase.kind)) {
      warn("phase '" + phase.name + "': kind '" + phase.kind + "' is not search|train|inference|other; using other");
      phase.kind = "other";
      rc = rc ? rc : ERG_ERR_ARGUMENT;
    }
    phase.start_s = time_s;
    open_phase_ = phase;
    marks_changed_ = true;
    return rc;
  } catch (const std::exception&) {
    return ERG_ERR_INTERNAL;
  }
}

int Agent::phase_items(unsigned long long n) {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_phase_items"); rc != ERG_OK || state_ == State::disabled) return rc;
  if (!open_phase_) {
    warn("erg_phase_items with no open phase; ignored");
    return ERG_ERR_ORDER;
  }
  open_phase_->items += n;
  marks_changed_ = true;
  return ERG_OK;
}

int Agent::phase_end() {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_phase_end"); rc != ERG_OK || state_ == State::disabled) return rc;
  if (!open_phase_) {
    warn("erg_phase_end with no open phase; ignored");
    return ERG_ERR_ORDER;
  }
  try {
    end_open_phase(sampler_ ? sampler_->sample_now() : now_s());
    marks_changed_ = true;
    return ERG_OK;
  } catch (const std::exception&) {
    return ERG_ERR_INTERNAL;
  }
}

int Agent::metric(const char* name, double value, int higher_is_better) {
  std::lock_guard lock(mutex_);
  if (int rc = check_running("erg_metric"); rc != ERG_OK || state_ == State::disabled) return rc;
  if (!name || !*name) {
    warn("erg_metric without a name; ignored");
    return ERG_ERR_ARGUMENT;
  }
  if (!std::isfinite(value)) {
    warn("erg_metric(" + std::string(name) + ") with a value that is not a finite number; ignored");
    return ERG_ERR_ARGUMENT;
  }
  try {
    metrics_.push_back({name, value, higher_is_better != 0});
    marks_changed_ = true;
    return ERG_OK;
  } catch (const std::exception&) {
    return ERG_ERR_INTERNAL;
  }
}

NodeTrace Agent::node_trace_for_gather() {
  NodeTrace own;
  own.node = node_;
  try {
    if (sampler_) {
      sampler_->stop();
      if (spool_)
        spool_->finish({{"sampler_cpu_s", sampler_->sampler_cpu_s()}, {"stopped_by", "erg_finalize"},
                        {"end_unix_s", unix_now_s()}});
      own = std::move(sampler_->trace());
    } else if (!daemon_samples_node_) {
      own.notes.push_back("no sampler ran on this node");
    }
  } catch (const std::exception& e) {
    own.notes.push_back(std::string("sampler failed: ") + e.what());
  }
  own.n_ranks = node_size_;
  own.notes.insert(own.notes.end(), node_notes_.begin(), node_notes_.end());
  return own;
}

bool Agent::write_job(std::vector<NodeTrace> nodes) {
  JobTrace trace;
  trace.job = job_info_from_environment();
  trace.job.start_utc = utc_iso8601(start_wall_);
  trace.job.start_unix_s = start_unix_s_;
  trace.job.duration_s = now_s();
  trace.job.end_utc = utc_iso8601(start_wall_, trace.job.duration_s);
  trace.job.n_ranks = size_;
  trace.carbon = carbon_;
  trace.interval_s = settings_.interval_s;
  trace.nodes = std::move(nodes);
  trace.phases = phases_;
  trace.metrics = metrics_;
  trace.notes = notes_;
  finish_job_trace(trace);
  JobReport report = write_job_outputs(trace, settings_.out);
  std::cerr << text_report(report) << "  trace           " << settings_.out << " (and "
            << json_path_for(settings_.out) << ")\n";
  return true;
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

bool Agent::write_job_with_daemon(std::vector<NodeTrace> nodes) {
  if (!daemon_folder_) throw std::runtime_error("the node daemon's spool folder cannot be opened");
  JobTrace trace = collect_job(*daemon_folder_, carbon_);
  trace.job.job_id = std::getenv("SLURM_JOB_ID");
  // Nodes that had no daemon sampled themselves, on the agent's time base.
  double offset_s = start_unix_s_ - trace.job.start_unix_s;
  for (auto& node : nodes) {
    if (node.time_s.empty()) continue;
    for (double& t : node.time_s) t += offset_s;
    trace.nodes.push_back(std::move(node));
  }
  finish_job_trace(trace);
  JobReport report = write_job_outputs(trace, settings_.out);
  std::cerr << text_report(report) << "  trace           " << settings_.out << " (from the node daemons' spools)\n";
  return true;
}

int Agent::finalize(bool quiet) {
  std::lock_guard lock(mutex_);
  if (state_ == State::disabled) return ERG_OK;
  if (state_ != State::running) {
    if (quiet) return ERG_OK;
    return check_running("erg_finalize");
  }
  state_ = State::finalized;
  if (!mpi_usable()) {
    warn("erg_finalize called after MPI_Finalize; the trace cannot be gathered");
    if (sampler_) sampler_->stop();
    return ERG_ERR_MPI;
  }
  int rc = ERG_OK;
  if (open_phase_) {
    warn("phase '" + open_phase_->name + "' was still open at erg_finalize; ended there");
    end_open_phase(sampler_ ? sampler_->sample_now() : now_s());
  }
  marks_flusher_.reset();
  if (marks_folder_) try {  // complete before the trace is tried: a full disk must not lose the phases
      save_marks(current_marks_locked());
    } catch (const std::exception& e) {
      warn(std::string("the phase marks could not be saved: ") + e.what());
    }
  int written = 0;
  if (node_rank_ == 0) {
    std::vector<NodeTrace> nodes = gather_node_traces(node_trace_for_gather(), leaders_comm_);
    if (rank_ == 0) {
      try {
        written = daemon_samples_node_ ? write_job_with_daemon(std::move(nodes)) : write_job(std::move(nodes));
      } catch (const std::exception& e) {
        warn(std::string("the trace was not written: ") + e.what());
        if (spool_)
          warn(SpoolBesideTrace::kept_note(settings_.out));
        rc = ERG_ERR_INTERNAL;
      }
      if (written && spool_) marks_folder_->remove("marks/" + marks_file_name());
    }
  }
  // Also what keeps every rank here until rank 0 is done: the job may go on using MPI after us.
  MPI_Bcast(&written, 1, MPI_INT, 0, comm_);
  if (written && spool_) spool_->remove();  // the trace holds it all now
  marks_folder_ = nullptr;
  for (MPI_Comm* c : {&leaders_comm_, &node_comm_, &comm_})
    if (*c != MPI_COMM_NULL) MPI_Comm_free(c);
  return rc;
}

}  // namespace erg
