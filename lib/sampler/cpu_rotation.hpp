#pragma once
#include <sched.h>

namespace erg {

// Moves the calling thread off the CPU it is on, to any other CPU it was allowed when
// constructed. When every CPU is busy with the job, the scheduler keeps waking a sampler on
// the CPU it last ran on, so one rank would bear all of its cost and, in a job that ends
// when its slowest rank does, the job's wall time with it. Called now and then (a move costs
// a migration), this spreads that cost over the ranks; idle CPUs stay allowed, so the
// scheduler still prefers them. Does nothing where one CPU is allowed.
class CpuRotation {
 public:
  CpuRotation();  // on the thread to be moved, after its affinity is set
  void move_on();

 private:
  cpu_set_t allowed_;
  bool enabled_ = false;
};

}  // namespace erg
