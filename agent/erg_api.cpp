// The C API of erg/erg.h: thin, exception-free doors into the one Agent.
#include "agent.hpp"
#include "erg/erg.h"
#include "pmpi_hooks.h"

namespace {

template <typename Call>
int guarded(Call call) noexcept {
  try {
    return call();
  } catch (...) {  // nothing may cross into the caller's C code
    return ERG_ERR_INTERNAL;
  }
}

}  // namespace

extern "C" {

int erg_init(MPI_Comm comm) { return guarded([&] { return erg::Agent::instance().init(comm); }); }
int erg_init_ranks(int rank, int size, int local_rank, int local_size) {
  return guarded([&] { return erg::Agent::instance().init_ranks(rank, size, local_rank, local_size); });
}
int erg_phase_begin(const char* name, const char* kind) {
  return guarded([&] { return erg::Agent::instance().phase_begin(name, kind); });
}
int erg_phase_items(unsigned long long n) { return guarded([&] { return erg::Agent::instance().phase_items(n); }); }
int erg_phase_end(void) { return guarded([&] { return erg::Agent::instance().phase_end(); }); }
int erg_metric(const char* name, double value, int higher_is_better) {
  return guarded([&] { return erg::Agent::instance().metric(name, value, higher_is_better); });
}
int erg_finalize(void) { return guarded([&] { return erg::Agent::instance().finalize(erg::Agent::FinalizedBy::program); }); }

}  // extern "C"

extern "C" int erg_pmpi_finalize(void) {
  return guarded([] { return erg::Agent::instance().finalize(erg::Agent::FinalizedBy::mpi_finalize_wrapper); });
}
