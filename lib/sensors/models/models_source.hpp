#pragma once
#include "sensors/source.hpp"

namespace erg::sensors::models {

// Estimates where no counter measures: the CPU model (TDP x the job's CPU share) for "cpu"
// and the memory model (W per GB resident) for "dram", each only when that domain is still
// free, so this source runs last. Their domains say Measurement::model, and reports say so.
SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains);

}  // namespace erg::sensors::models
