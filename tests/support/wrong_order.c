/* Calls the C API in every wrong order (written in C: the API must be usable from C).
 * It must run to completion with warnings and exit status 0. */
#include <erg/erg.h>
#include <mpi.h>
#include <stdio.h>

static int failures = 0;

static void expect(int got, int want, const char *what) {
  if (got != want) {
    fprintf(stderr, "wrong_order: %s returned %d, expected %d\n", what, got, want);
    failures++;
  }
}

int main(int argc, char **argv) {
  expect(erg_phase_begin("early", "train"), ERG_ERR_NOT_INITIALIZED, "phase_begin before init");
  expect(erg_finalize(), ERG_ERR_NOT_INITIALIZED, "finalize before init");
  MPI_Init(&argc, &argv);
  expect(erg_init(MPI_COMM_WORLD), ERG_OK, "init");
  expect(erg_init(MPI_COMM_WORLD), ERG_OK, "init twice (idempotent)");
  expect(erg_phase_end(), ERG_ERR_ORDER, "phase_end without begin");
  expect(erg_phase_items(5), ERG_ERR_ORDER, "phase_items without a phase");
  expect(erg_phase_begin("outer", "train"), ERG_OK, "phase_begin");
  expect(erg_phase_begin("inner", "inference"), ERG_ERR_ORDER, "nested phase_begin");
  expect(erg_phase_begin(NULL, "bogus"), ERG_ERR_ORDER, "nested phase_begin with a bad kind");
  expect(erg_metric(NULL, 1.0, 1), ERG_ERR_ARGUMENT, "metric without a name");
  expect(erg_metric("loss", 0.5, 0), ERG_OK, "metric");
  /* The last phase is left open: finalize ends it. */
  expect(erg_finalize(), ERG_OK, "finalize");
  expect(erg_finalize(), ERG_ERR_FINALIZED, "finalize twice");
  expect(erg_phase_begin("late", "train"), ERG_ERR_FINALIZED, "phase_begin after finalize");
  expect(erg_metric("late", 1.0, 1), ERG_ERR_FINALIZED, "metric after finalize");
  MPI_Finalize();
  expect(erg_finalize(), ERG_ERR_FINALIZED, "finalize after MPI_Finalize");
  return failures == 0 ? 0 : 1;
}
