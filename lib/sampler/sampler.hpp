#pragma once
#include <sched.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "sensors/node_sensors.hpp"
#include "trace/node_trace.hpp"

namespace erg {

// One thread per node that reads every sensor on a drift-free schedule (sample k at
// origin + k x interval, missed ticks skipped, never bunched) and appends to a NodeTrace.
// Extra samples can be taken at any moment (phase bounds). Its own CPU time is recorded.
class Sampler {
 public:
  // origin_s: the monotonic time that is time 0 of the job. The node's warnings become its notes.
  Sampler(NodeSensors sensors, double interval_s, double origin_s, std::string node);
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;
  ~Sampler();

  // Before start(): the CPUs the sampling thread may run on (default: those of the caller).
  // An MPI rank is often bound to one core; a sampler started in it would inherit that
  // binding and preempt its own rank at every tick, though any of the job's CPUs would do.
  void set_cpus(const cpu_set_t& cpus) { cpus_ = cpus; }
  // How often the sampling thread moves to another of its CPUs (see CpuRotation).
  static constexpr double rotation_period_s = 0.5;
  void start();         // first sample now, then the thread
  double sample_now();  // an extra sample; returns its time_s
  void stop();          // last sample, thread joined; idempotent

  // Appends samples [from, end) to rows (time_s, then one value per domain) and returns end:
  // what the node daemon flushes to its spool.
  size_t samples_since(size_t from, std::vector<double>& rows) const;
  size_t domain_count() const { return trace_.domains.size(); }
  double sampler_cpu_s() const;

  // The samples, after stop(); before start(), what the node's spool header says of it.
  NodeTrace& trace() { return trace_; }
  const NodeTrace& trace() const { return trace_; }

 private:
  double take_sample_locked();
  double take_sample_counted_locked();  // its CPU time too: for samples taken on other threads
  long ticks_per(double period_s) const;
  void run();

  std::vector<std::unique_ptr<Sensor>> sensors_;
  std::vector<double> scratch_j_;
  double interval_s_;
  double origin_s_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool running_ = false;
  std::thread thread_;
  std::optional<cpu_set_t> cpus_;
  NodeTrace trace_;
};

}  // namespace erg
