#pragma once
#include <sched.h>

namespace erg {

// Moves the calling thread off the CPU it is on, to another CPU it was allowed when
// constructed, and then allows it every one of them again. When every CPU is busy with the
// job, the scheduler keeps waking a sampler on the CPU it last ran on, so one rank would
// bear all of its cost and, in a job that ends when its slowest rank does, the job's wall
// time with it. Called now and then (a move costs a migration), this spreads that cost over
// the ranks; since every CPU stays allowed between moves, an idle one (the CPU just left
// included) is still the scheduler's choice. Does nothing where one CPU is allowed.
class CpuRotation {
 public:
  CpuRotation();  // on the thread to be moved, after its affinity is set
  void move_on();

 private:
  cpu_set_t allowed_;
  bool enabled_ = false;
};

}  // namespace erg
