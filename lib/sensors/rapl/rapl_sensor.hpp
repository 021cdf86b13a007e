#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sensors/domain_registry.hpp"
#include "sensors/energy_counter.hpp"
#include "sensors/sensor.hpp"
#include "sensors/sensor_probe.hpp"
#include "util/file_descriptor.hpp"

namespace erg {

// RAPL through the powercap sysfs tree: package zones add up to "cpu", dram zones to "dram".
// Subzones already inside a package (core, uncore) and psys are listed but not counted.
class RaplSensor final : public Sensor {
 public:
  struct Zone {
    std::string path;  // the zone's directory
    std::string domain;
    FileDescriptor energy_fd;  // kept open; re-read with pread
    EnergyCounter counter;
  };

  explicit RaplSensor(std::vector<Zone> zones);
  const std::vector<DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> energy_j) override;
  std::vector<std::string> notes() const override;

 private:
  std::vector<Zone> zones_;
  std::vector<size_t> zone_domain_;  // zone -> index in domains_
  std::uint64_t failed_reads_ = 0;
  std::vector<DomainInfo> domains_;
};

struct RaplDiscovery {
  std::unique_ptr<RaplSensor> sensor;  // null when no zone can be read
  std::vector<SensorProbe> probes;
  bool permission_denied = false;  // energy_uj exists but is root-only
};

// Scans powercap_root (/sys/class/powercap, or a simulated tree) for intel-rapl and
// intel-rapl-mmio zones, identified by their name file, never by their index. A zone is
// counted only when its domain ("cpu", "dram") is RAPL's in domains: claimed by the zone
// that is read first.
RaplDiscovery discover_rapl(const std::string& powercap_root, DomainRegistry& domains);

// The same with RAPL alone on the node (tests, benchmarks).
RaplDiscovery discover_rapl(const std::string& powercap_root);

}  // namespace erg
