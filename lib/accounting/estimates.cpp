#include "accounting/estimates.hpp"

#include "util/errors.hpp"

namespace erg {

namespace {

int bit_index(int bits) {
  switch (bits) {
    case 8: return 0;
    case 16: return 1;
    case 32: return 2;
    default: throw UsageError("--bits must be 8, 16 or 32, not " + std::to_string(bits));
  }
}

// Horowitz 2014 as tabulated in data/SOURCES.md, for 8/16/32-bit operands.
constexpr double float_add_pj[] = {0.2, 0.4, 0.9};
constexpr double float_mul_pj[] = {0.6, 1.1, 3.7};
constexpr double memory_pj[4][3] = {{1.25, 2.5, 5}, {2.5, 5, 10}, {12.5, 25, 50}, {250, 500, 1000}};

}  // namespace

double hardware_energy_j(double hours, double cores, double core_w, double gpus, double gpu_w, double memory_gb,
                         double usage) {
  double power_w = cores * core_w * usage + gpus * gpu_w * usage + memory_gb * green_algorithms_memory_w_per_gb;
  return power_w * hours * 3600.0;
}

double mac_energy_pj(int bits) { return float_add_pj[bit_index(bits)] + float_mul_pj[bit_index(bits)]; }

double memory_access_energy_pj(MemoryClass size, int bits) {
  return memory_pj[static_cast<int>(size)][bit_index(bits)];
}

double operations_energy_j(double macs, int bits, const std::array<double, 4>& accesses) {
  double pj = macs * mac_energy_pj(bits);
  for (int c = 0; c < 4; ++c) pj += accesses[static_cast<size_t>(c)] * memory_access_energy_pj(static_cast<MemoryClass>(c), bits);
  return pj * 1e-12;
}

}  // namespace erg
