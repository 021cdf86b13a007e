#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace erg {

// Runs a task every period_s on its own thread until stop() or destruction. The task runs
// outside any lock of this class, so stop() may be called while it runs (it waits for it).
class PeriodicThread {
 public:
  PeriodicThread(double period_s, std::function<void()> task);
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;
  ~PeriodicThread();
  void stop();  // idempotent; the task does not run again

 private:
  std::function<void()> task_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace erg
