#include "sensors/rapl/rapl_source.hpp"

#include "sensors/rapl/rapl_sensor.hpp"

namespace erg::sensors::rapl {

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  RaplDiscovery rapl = discover_rapl(settings.powercap_root, domains);
  SourceDiscovery found;
  found.probes = std::move(rapl.probes);
  if (rapl.sensor) found.sensors.push_back(std::move(rapl.sensor));
  if (rapl.permission_denied)
    found.warnings.push_back(
        "RAPL energy counters under " + settings.powercap_root +
        " are readable by root only (Linux >= 5.10); using the CPU/DRAM models instead. Fix: run the "
        "agent as root, or add a udev rule such as SUBSYSTEM==\"powercap\", ACTION==\"add\", "
        "RUN+=\"/bin/chmod a+r %S%p/energy_uj\"");
  if (found.probes.empty())
    found.probes.push_back({"cpu", "rapl", settings.powercap_root, "unavailable", "no intel-rapl zone found"});
  return found;
}

}  // namespace erg::sensors::rapl
