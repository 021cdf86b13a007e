/* A job for the fault tests: every rank writes its pid to DIR/rank<N>.pid, then spends
 * SECONDS in an open "train" phase doing floating-point work, unless it is killed first.
 *   long_phase DIR SECONDS */
#include <erg/erg.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  erg_init(MPI_COMM_WORLD);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  double seconds = argc > 2 ? atof(argv[2]) : 5;
  erg_phase_begin("warmup", "other");
  usleep(200000);
  erg_phase_end();
  erg_phase_begin("train", "train");
  if (argc > 1) { /* after the phase began: a kill from now on finds it open */
    char path[4096];
    snprintf(path, sizeof path, "%s/rank%d.pid", argv[1], rank);
    FILE *f = fopen(path, "w");
    if (f) {
      fprintf(f, "%d\n", (int)getpid());
      fclose(f);
    }
  }
  double start = MPI_Wtime(), sum = 0;
  while (MPI_Wtime() - start < seconds) {
    for (int i = 1; i < 200000; ++i) sum += sqrt((double)i) * 1e-9;
    erg_phase_items(1);
    usleep(5000);
  }
  erg_phase_end();
  erg_finalize();
  MPI_Finalize();
  return sum < 0; /* keeps the work from being optimised away */
}
