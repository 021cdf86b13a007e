/* erg: energy and carbon accounting for MPI jobs. The C API of the agent (docs/api.md).
 *
 * Every call returns 0 or a negative error code and never aborts the job. A call made in
 * the wrong order (a phase ended that was never begun, a call after erg_finalize, ...)
 * prints one warning and returns an error code; the job goes on. */
#ifndef ERG_ERG_H
#define ERG_ERG_H

#include <mpi.h>

#if defined(__GNUC__)
#define ERG_API __attribute__((visibility("default")))
#else
#define ERG_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define ERG_OK 0
#define ERG_ERR_NOT_INITIALIZED (-1) /* called before erg_init */
#define ERG_ERR_FINALIZED (-2)       /* called after erg_finalize */
#define ERG_ERR_ORDER (-3)           /* phase calls out of order; corrected as documented */
#define ERG_ERR_ARGUMENT (-4)        /* a bad argument, replaced by a safe value */
#define ERG_ERR_MPI (-5)             /* MPI is not initialised, or an MPI call failed */
#define ERG_ERR_INTERNAL (-6)        /* erg itself failed; the job is unaffected */

/* Collective over comm; idempotent. Groups ranks by node, starts the node's sampler. */
ERG_API int erg_init(MPI_Comm comm);
/* Without MPI (torchrun, srun, plain processes; the Python module calls it): this process is
 * rank `rank` of `size`, and rank `local_rank` of the `local_size` ranks on its node. Not
 * collective and idempotent; erg_init after it (or before it) changes nothing. The ranks meet
 * in their job's spool folder (beside ERG_OUT, or the Slurm node daemons'): each node's local
 * rank 0 samples its node, rank 0 writes the trace at erg_finalize once every rank has
 * finished (at most ERG_FINALIZE_WAIT_S seconds, default 120, later; docs/api.md). */
ERG_API int erg_init_ranks(int rank, int size, int local_rank, int local_size);
/* kind: "search", "train", "inference" or "other". A phase still open is ended first. */
ERG_API int erg_phase_begin(const char *name, const char *kind);
/* Adds n items (samples processed) to the open phase. */
ERG_API int erg_phase_items(unsigned long long n);
ERG_API int erg_phase_end(void);
/* A user metric (accuracy, ...); higher_is_better is 0 or 1. */
ERG_API int erg_metric(const char *name, double value, int higher_is_better);
/* Collective (with erg_init_ranks: rank 0 waits for the others); writes the trace (ERG_OUT, default job.h5), its JSON summary and the report on rank 0. */
ERG_API int erg_finalize(void);

#ifdef __cplusplus
}
#endif

#endif /* ERG_ERG_H */
