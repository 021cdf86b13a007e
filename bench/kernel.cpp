// The job whose wall time erg must not change: a fixed amount of floating-point work per
// rank (so that any cost erg adds shows as time), then an allreduce. Built plain and, with
// ERG_BENCH_LINKED, linked to the agent.
//   mpirun -np 2 erg_bench_kernel WORK_UNITS
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#ifdef ERG_BENCH_LINKED
#include <erg/erg.h>
#endif

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
#ifdef ERG_BENCH_LINKED
  erg_init(MPI_COMM_WORLD);
  erg_phase_begin("kernel", "train");
#endif
  long units = argc > 1 ? std::atol(argv[1]) : 100;
  double start = MPI_Wtime(), sum = 0;
  for (long u = 0; u < units; ++u) {
    for (int i = 1; i < 1000000; ++i) sum += std::sqrt(static_cast<double>(i) + u) * 1e-9;
  }
  // Each rank's own compute time, before the ranks wait for each other: their mean is less
  // noisy than the job's time (the slowest rank), and a sampler that takes a rank's core
  // shows in it all the same.
  double compute_s = MPI_Wtime() - start, compute_sum_s = 0;
  MPI_Reduce(&compute_s, &compute_sum_s, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  double seconds = MPI_Wtime() - start;
#ifdef ERG_BENCH_LINKED
  erg_phase_items(static_cast<unsigned long long>(units));
  erg_phase_end();
  erg_finalize();
#endif
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (rank == 0)
    std::printf("{\"kernel_s\": %.6f, \"rank_mean_s\": %.6f, \"checksum\": %.6f}\n", seconds,
                compute_sum_s / size, sum);
  MPI_Finalize();
  return 0;
}
