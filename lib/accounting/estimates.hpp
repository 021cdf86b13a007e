#pragma once
#include <array>

namespace erg {

// Figures without a trace (erg estimate). All return IT energy in joules.

// Green Algorithms v3.0 (Lannelongue et al. 2021): memory draws 0.3725 W per GB.
constexpr double green_algorithms_memory_w_per_gb = 0.3725;

// The Green Algorithms formula without PUE: t x (cores x P_core x u + gpus x P_gpu x u + GB x P_mem).
double hardware_energy_j(double hours, double cores, double core_w, double gpus, double gpu_w, double memory_gb,
                         double usage);

// Horowitz (ISSCC 2014), 45 nm: energy per operation and per memory access, in picojoules.
enum class MemoryClass { under_8kb, under_32kb, under_1mb, over_1mb };
double mac_energy_pj(int bits);                           // one multiply plus one add; bits 8, 16 or 32
double memory_access_energy_pj(MemoryClass size, int bits);

// Energy of a computation from its operation counts: MACs, and memory accesses per size class.
double operations_energy_j(double macs, int bits, const std::array<double, 4>& accesses);

}  // namespace erg
