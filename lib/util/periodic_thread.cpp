#include "util/periodic_thread.hpp"

#include <chrono>

namespace erg {

PeriodicThread::PeriodicThread(double period_s, std::function<void()> task) : task_(std::move(task)) {
  auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(period_s));
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mutex_);
    auto due = std::chrono::steady_clock::now() + period;
    while (!wake_.wait_until(lock, due, [this] { return stopping_; })) {
      lock.unlock();
      task_();
      lock.lock();
      due += period;
      auto now = std::chrono::steady_clock::now();
      if (due < now) due = now + period;  // a slow task: skip, never bunch
    }
  });
}

PeriodicThread::~PeriodicThread() { stop(); }

void PeriodicThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace erg
