// The sources of a node, in the order they claim domains and are read. Adding a source is
// a folder of lib/sensors/ with its discover() and one line in `sources` below.
#include <exception>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "sensors/cpu_time/cpu_time_source.hpp"
#include "sensors/models/models_source.hpp"
#include "sensors/node_sensors.hpp"
#include "sensors/nvml/nvml_source.hpp"
#include "sensors/rapl/rapl_source.hpp"
#include "sensors/rocm_smi/rocm_smi_source.hpp"
#include "sensors/source.hpp"

namespace erg {

namespace {

struct Source {
  std::string_view name;
  DiscoverSource discover;
};

// Counters first, so that they own their domains; NVIDIA before AMD, so that a node's GPUs are
// numbered NVIDIA first. Models last: they only fill domains that no counter claimed, and
// since a sample's time is taken before its first read and the models' procfs scan is slow
// next to a counter read, they are also best read last (they integrate over whole intervals
// and lose nothing). The CPU time of a shared node's split comes after all energy.
constexpr Source sources[] = {
    {"rapl", sensors::rapl::discover},
    {"nvml", sensors::nvml::discover},
    {"rocm-smi", sensors::rocm_smi::discover},
    {"models", sensors::models::discover},
    {"cpu time", sensors::cpu_time::discover},
};

}  // namespace

NodeSensors discover_node_sensors(const SensorSettings& settings) {
  NodeSensors node;
  DomainRegistry domains;
  for (const Source& source : sources) {
    // A source that fails half-way keeps none of its claims, so that a later one (the
    // models) can still fill its domains.
    DomainRegistry attempt = domains;
    SourceDiscovery found;
    try {
      found = source.discover(settings, attempt);
    } catch (const std::exception& e) {
      node.warnings.push_back(std::string(source.name) + ": discovery failed (" + e.what() +
                              "); its domains are left to the sources after it");
      continue;
    }
    domains = std::move(attempt);
    std::move(found.sensors.begin(), found.sensors.end(), std::back_inserter(node.sensors));
    std::move(found.probes.begin(), found.probes.end(), std::back_inserter(node.probes));
    std::move(found.warnings.begin(), found.warnings.end(), std::back_inserter(node.warnings));
  }
  // The node's TDP, even where RAPL measures the CPU: the sampler prices its own CPU time
  // with it. The CPU model looks it up too; reading the tables twice (about 3 ms, only on
  // nodes without RAPL) keeps every source's discover() the same shape.
  node.cpu_tdp = lookup_cpu_tdp(settings.data_dir, settings.cpuinfo_path);
  return node;
}

}  // namespace erg
