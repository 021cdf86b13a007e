#include "sampler/cpu_rotation.hpp"

#include <pthread.h>

namespace erg {

CpuRotation::CpuRotation() {
  CPU_ZERO(&allowed_);
  enabled_ = pthread_getaffinity_np(pthread_self(), sizeof(cpu_set_t), &allowed_) == 0 && CPU_COUNT(&allowed_) > 1;
}

void CpuRotation::move_on() {
  if (!enabled_) return;
  cpu_set_t others = allowed_;
  int cpu = sched_getcpu();
  if (cpu >= 0 && cpu < CPU_SETSIZE) CPU_CLR(cpu, &others);
  // Narrowing the affinity migrates the thread at once; widening it again does not move it
  // back. A refusal (a cpuset shrunk under the job) leaves the thread where it may run.
  if (CPU_COUNT(&others) == 0 || pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), &others) != 0) return;
  pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), &allowed_);
}

}  // namespace erg
