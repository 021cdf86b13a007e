#pragma once
#include "sensors/source.hpp"

namespace erg::sensors::cpu_time {

// The job's and the node's CPU time, on a node the job shares with other jobs
// (SensorSettings::record_cpu_time): what the split of the node's counters needs.
SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains);

}  // namespace erg::sensors::cpu_time
