/* A linked program that never calls erg_finalize, whose ranks each process their own items
 * and record their own metrics: its trace is written at MPI_Finalize, items summed over the
 * ranks, metrics from every rank kept (issue 15). */
#include <erg/erg.h>
#include <mpi.h>
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
  MPI_Finalize();
  return 0;
}
