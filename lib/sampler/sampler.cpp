#include "sampler/sampler.hpp"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "sampler/cpu_rotation.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

std::vector<DomainInfo> domains_of(const std::vector<std::unique_ptr<Sensor>>& sensors) {
  std::vector<DomainInfo> domains;
  for (const auto& sensor : sensors)
    for (const auto& d : sensor->domains()) domains.push_back(d);
  return domains;
}

}  // namespace

Sampler::Sampler(NodeSensors sensors, double interval_s, double origin_s, size_t window_rows)
    : sensors_(std::move(sensors.sensors)),
      domains_(domains_of(sensors_)),
      scratch_j_(domains_.size()),
      interval_s_(interval_s),
      origin_s_(origin_s),
      window_(domains_.size() + 1, window_rows) {}

Sampler::~Sampler() { stop(); }

double Sampler::take_sample_locked() {
  double time_s = monotonic_now_s() - origin_s_;
  size_t slot = 0;
  for (auto& sensor : sensors_) {
    size_t n = sensor->domains().size();
    std::span<double> out(scratch_j_.data() + slot, n);
    try {
      sensor->read(time_s, out);
    } catch (const std::exception&) {  // a sensor must not take the sampler down: missing data
      std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
    }
    slot += n;
  }
  window_.push(time_s, scratch_j_);
  return time_s;
}

double Sampler::take_sample_counted_locked() {
  double cpu_before_s = thread_cpu_time_s();
  double time_s = take_sample_locked();
  sampler_cpu_s_ += thread_cpu_time_s() - cpu_before_s;
  return time_s;
}

void Sampler::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  take_sample_counted_locked();
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void Sampler::run() {
  // Where the job's cgroup allows fewer CPUs, the kernel keeps to those; a failure keeps the binding.
  if (cpus_) pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), &*cpus_);
  using clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, the same clock as monotonic_now_s
  CpuRotation rotation;
  // Ticks, not k % n: k jumps ahead when the loop falls behind, which must not skip a move.
  const long ticks_per_move = ticks_per(rotation_period_s);
  // This thread's CPU time, its wake-ups included, is added about once a second: reading it
  // is a system call, and at 1 ms a tick should make as few as it can.
  const long ticks_per_count = ticks_per(1.0);
  long next_move_k = ticks_per_move, next_count_k = ticks_per_count;
  double counted_cpu_s = thread_cpu_time_s();
  auto count_cpu_locked = [&] {
    double now_cpu_s = thread_cpu_time_s();
    sampler_cpu_s_ += now_cpu_s - counted_cpu_s;
    counted_cpu_s = now_cpu_s;
  };
  std::unique_lock lock(mutex_);
  const double first_s = monotonic_now_s();
  for (long k = 1;; ++k) {
    double due_s = first_s + static_cast<double>(k) * interval_s_;
    double now_s = monotonic_now_s();
    if (now_s > due_s + interval_s_) {  // fell behind: skip to the next tick in the future
      k = static_cast<long>(std::floor((now_s - first_s) / interval_s_)) + 1;
      due_s = first_s + static_cast<double>(k) * interval_s_;
    }
    auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(
                                       std::chrono::duration<double>(due_s - monotonic_now_s()));
    if (wake_.wait_until(lock, deadline, [this] { return stopping_; })) break;
    take_sample_locked();
    if (k >= next_count_k) {
      count_cpu_locked();
      next_count_k = k + ticks_per_count;
    }
    if (k >= next_move_k) {  // a migration: not while a rank's sample_now() would wait
      next_move_k = k + ticks_per_move;
      lock.unlock();
      rotation.move_on();
      lock.lock();
    }
  }
  count_cpu_locked();
}

long Sampler::ticks_per(double period_s) const {
  return std::max(1L, std::lround(period_s / interval_s_));
}

double Sampler::sample_now() {
  std::lock_guard lock(mutex_);
  return take_sample_counted_locked();
}

void Sampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  take_sample_counted_locked();
  running_ = false;
}

void Sampler::take_samples(std::vector<double>& rows) {
  std::lock_guard lock(mutex_);
  window_.take(rows);
}

std::uint64_t Sampler::thinned_samples() const {
  std::lock_guard lock(mutex_);
  return window_.thinned_rows();
}

std::vector<std::string> Sampler::sensor_notes() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> notes;
  for (const auto& sensor : sensors_)
    for (auto& note : sensor->notes()) notes.push_back(std::move(note));
  return notes;
}

double Sampler::sampler_cpu_s() const {
  std::lock_guard lock(mutex_);
  return sampler_cpu_s_;
}

}  // namespace erg
