/* Private to liberg_agent.so and liberg_pmpi.so: what the MPI_Finalize wrapper calls. */
#ifndef ERG_PMPI_HOOKS_H
#define ERG_PMPI_HOOKS_H

#include "erg/erg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* erg_finalize without the warning when the program already called it. */
ERG_API int erg_pmpi_finalize(void);

#ifdef __cplusplus
}
#endif

#endif
