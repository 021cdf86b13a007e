#pragma once
#include <sched.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "sampler/sample_window.hpp"
#include "sensors/node_sensors.hpp"

namespace erg {

// One thread per node that reads every sensor on a drift-free schedule (sample k at
// origin + k x interval, missed ticks skipped, never bunched). Extra samples can be taken at
// any moment (phase bounds). Samples wait in a bounded window until the node's session takes
// them to its spool, so its memory does not grow with the job's length. Its own CPU time is
// recorded: the measurement overhead.
class Sampler {
 public:
  // At 1 ms, about half a minute of samples: far more than the session leaves between two
  // takes (one flush), so thinning happens only when nobody takes them.
  static constexpr size_t default_window_rows = size_t{1} << 15;

  // origin_s: the monotonic time that is time 0 of the job.
  Sampler(NodeSensors sensors, double interval_s, double origin_s, size_t window_rows = default_window_rows);
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

  const std::vector<DomainInfo>& domains() const { return domains_; }
  size_t row_width() const { return domains_.size() + 1; }  // time_s, then one value per domain
  // Moves the samples taken since the last call into rows (appended, row_width() values each).
  void take_samples(std::vector<double>& rows);
  double sampler_cpu_s() const;
  std::uint64_t thinned_samples() const;
  // What went wrong while sampling (counter resets, failed reads), for the node's notes.
  std::vector<std::string> sensor_notes() const;

 private:
  double take_sample_locked();
  double take_sample_counted_locked();  // its CPU time too: for samples taken on other threads
  long ticks_per(double period_s) const;
  void run();

  std::vector<std::unique_ptr<Sensor>> sensors_;
  std::vector<DomainInfo> domains_;
  std::vector<double> scratch_j_;
  double interval_s_;
  double origin_s_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool running_ = false;
  std::thread thread_;
  std::optional<cpu_set_t> cpus_;
  SampleWindow window_;
  double sampler_cpu_s_ = 0;
};

}  // namespace erg
