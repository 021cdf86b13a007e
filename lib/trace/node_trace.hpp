#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sensors/sensor.hpp"

namespace erg {

// One domain's cumulative joules, one value per sample (NaN where a read failed).
struct DomainSeries {
  DomainInfo info;
  std::vector<double> energy_j;
};

// What one node measured: the samples of its sampler, on the job's time base.
struct NodeTrace {
  std::string node;
  int n_ranks = 1;
  std::vector<double> time_s;  // seconds since the job's start
  std::vector<DomainSeries> domains;
  double sampler_cpu_s = 0;    // the sampler's own CPU time: the measurement overhead
  double cpu_tdp_w = 0;        // the node's CPU TDP, to estimate the sampler's own energy
  int logical_cpus = 0;
  std::uint64_t spool_skipped_bytes = 0;  // damaged spool bytes skipped by erg collect
  std::vector<std::string> notes;

  const DomainSeries* domain(const std::string& name) const {
    for (const auto& d : domains)
      if (d.info.name == name) return &d;
    return nullptr;
  }
};

}  // namespace erg
