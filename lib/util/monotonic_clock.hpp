#pragma once
#include <time.h>

namespace erg {

// Seconds on CLOCK_MONOTONIC: the one time base of samples and phase marks, immune to wall-clock steps.
inline double monotonic_now_s() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

inline double thread_cpu_time_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace erg
