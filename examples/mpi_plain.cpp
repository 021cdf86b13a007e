// The same kind of work with no erg call at all: accounted only through
//   mpirun ... env LD_PRELOAD=liberg_pmpi.so ./erg_example_plain
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  double start = MPI_Wtime(), sum = 0;
  long iterations = 0;
  for (int done = 0; !done; ++iterations) {
    for (int i = 1; i < 200000; ++i) sum += std::sin(i * 1e-3) * std::cos(i * 2e-3);
    done = MPI_Wtime() - start >= seconds;
    MPI_Bcast(&done, 1, MPI_INT, 0, MPI_COMM_WORLD);
  }
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) std::printf("%ld iterations, checksum %.6f\n", iterations, sum);
  MPI_Finalize();
  return 0;
}
