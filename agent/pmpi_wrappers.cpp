// liberg_pmpi.so: accounts an unmodified MPI program through the PMPI profiling interface,
// with LD_PRELOAD. It calls into liberg_agent.so, whose one Agent it shares with a program
// that also links the agent, so such a job is accounted once.
#include <mpi.h>

#include "pmpi_hooks.h"

extern "C" {

int MPI_Init(int* argc, char*** argv) {
  int rc = PMPI_Init(argc, argv);
  if (rc == MPI_SUCCESS) erg_init(MPI_COMM_WORLD);
  return rc;
}

int MPI_Init_thread(int* argc, char*** argv, int required, int* provided) {
  int rc = PMPI_Init_thread(argc, argv, required, provided);
  if (rc == MPI_SUCCESS) erg_init(MPI_COMM_WORLD);
  return rc;
}

int MPI_Finalize(void) {
  erg_pmpi_finalize();
  return PMPI_Finalize();
}

}  // extern "C"
