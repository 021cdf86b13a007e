#pragma once
#include "sensors/source.hpp"

namespace erg::sensors::rapl {

// Intel and AMD RAPL energy counters (powercap sysfs under settings.powercap_root): "cpu" from
// the package zones, "dram" from the dram zones. Warns when the counters exist but are
// readable by root only, since the models then stand in for them.
SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains);

}  // namespace erg::sensors::rapl
