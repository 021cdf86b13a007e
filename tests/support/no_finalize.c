/* A linked program that never calls erg_finalize, whose ranks each process their own items
 * and record their own metrics: its trace is written at MPI_Finalize, items summed over the
 * ranks, metrics from every rank kept (issue 15). With the argument "exit" it also leaves
 * out MPI_Finalize, as a program whose rank 0 gives up with exit(3) does: its trace is written
 * at exit. (The other ranks wait: when they leave first, mpirun kills rank 0 at once, and the
 * trace is left to erg collect.) */
#include <erg/erg.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  erg_init(MPI_COMM_WORLD);
  erg_phase_begin("train", "train");
  usleep(200000);
  erg_phase_items((unsigned long long)(rank + 1) * 100); /* ranks 0..3: 100+200+300+400 */
  erg_phase_end();
  erg_phase_begin("eval", "inference");
  erg_phase_items(10);
  erg_phase_end();
  if (rank == 1) erg_metric("accuracy", 0.75, 1);
  if (rank == 2) erg_metric("loss", 0.25, 0);
  if (argc > 1 && strcmp(argv[1], "exit") == 0) {
    if (rank != 0) sleep(5); /* mpirun ends it when rank 0 leaves */
    exit(3);
  }
  MPI_Finalize();
  return 0;
}
