// The job whose wall time erg must not change: a fixed amount of floating-point work per
// rank (so that any cost erg adds shows as time), then an allreduce. Built plain and, with
// ERG_BENCH_LINKED, linked to the agent.
//   mpirun -np 2 erg_bench_kernel WORK_UNITS
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include <sched.h>
#ifdef ERG_BENCH_LINKED
#include <erg/erg.h>
#endif

namespace {

// This thread's time on a CPU and its time runnable but waiting for one, from the
// scheduler's own accounting (nanoseconds): a sampler that takes the rank's core shows in
// the wait, whatever the host does to the virtual CPU. Zeros where the kernel lacks it.
struct SchedTimes {
  double on_cpu_s = 0, waiting_s = 0;
};
SchedTimes sched_times() {
  std::ifstream in("/proc/thread-self/schedstat");
  double on_cpu_ns = 0, waiting_ns = 0;
  if (!(in >> on_cpu_ns >> waiting_ns)) return {};
  return {on_cpu_ns * 1e-9, waiting_ns * 1e-9};
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
#ifdef ERG_BENCH_LINKED
  erg_init(MPI_COMM_WORLD);
  erg_phase_begin("kernel", "train");
#endif
  long units = argc > 1 ? std::atol(argv[1]) : 100;
  SchedTimes sched_start = sched_times();
  double start = MPI_Wtime(), sum = 0;
  for (long u = 0; u < units; ++u) {
    for (int i = 1; i < 1000000; ++i) sum += std::sqrt(static_cast<double>(i) + u) * 1e-9;
  }
  // Each rank's own compute time, before the ranks wait for each other: their mean is less
  // noisy than the job's time (the slowest rank), and a sampler that takes a rank's core
  // shows in it all the same.
  // The rest of its compute time is time the host took from the virtual CPU (steal).
  double compute_s = MPI_Wtime() - start;
  SchedTimes sched_end = sched_times();
  // Each rank's own figures and CPU, so that a benchmark can also compare a rank that shares
  // its core with a sampler against one that does not, in the same run (the same host speed).
  enum { kCompute, kOnCpu, kWaiting, kCpu, kFields };
  double own[kFields] = {compute_s, sched_end.on_cpu_s - sched_start.on_cpu_s,
                         sched_end.waiting_s - sched_start.waiting_s, static_cast<double>(sched_getcpu())};
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::vector<double> each(kFields * static_cast<size_t>(size));
  MPI_Gather(own, kFields, MPI_DOUBLE, each.data(), kFields, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  double seconds = MPI_Wtime() - start;
#ifdef ERG_BENCH_LINKED
  erg_phase_items(static_cast<unsigned long long>(units));
  erg_phase_end();
  erg_finalize();
#endif
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    double sums[kFields] = {}, maxima[kFields] = {};
    for (int r = 0; r < size; ++r)
      for (int f = 0; f < kFields; ++f) {
        sums[f] += each[kFields * r + f];
        maxima[f] = std::max(maxima[f], each[kFields * r + f]);
      }
    std::printf(
        "{\"kernel_s\": %.6f, \"rank_mean_s\": %.6f, \"rank_on_cpu_mean_s\": %.6f, \"rank_waiting_mean_s\": %.6f, "
        "\"rank_waiting_max_s\": %.6f, \"checksum\": %.6f, \"ranks\": [",
        seconds, sums[kCompute] / size, sums[kOnCpu] / size, sums[kWaiting] / size, maxima[kWaiting], sum);
    for (int r = 0; r < size; ++r)
      std::printf("%s{\"on_cpu_s\": %.6f, \"waiting_s\": %.6f, \"cpu\": %.0f}", r ? ", " : "",
                  each[kFields * r + kOnCpu], each[kFields * r + kWaiting], each[kFields * r + kCpu]);
    std::printf("]}\n");
  }
  MPI_Finalize();
  return 0;
}
