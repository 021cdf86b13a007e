#include "sensors/models/models_source.hpp"

#include <memory>
#include <string>

#include "sensors/models/cpu_model_sensor.hpp"
#include "sensors/models/cpu_tdp.hpp"
#include "sensors/models/dram_model_sensor.hpp"
#include "sensors/models/process_tree.hpp"

namespace erg::sensors::models {

namespace {

SensorProbe measured_elsewhere(const std::string& domain, const DomainRegistry& domains) {
  return {domain, "model", "", "not counted", "measured by " + domains.owner(domain).value_or("another source")};
}

}  // namespace

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  SourceDiscovery found;
  const bool model_cpu = domains.claim("cpu", "model");
  const bool model_dram = domains.claim("dram", "model");
  if (!model_cpu) found.probes.push_back(measured_elsewhere("cpu", domains));
  if (!model_dram) found.probes.push_back(measured_elsewhere("dram", domains));
  if (!model_cpu && !model_dram) return found;

  // One tree for both models, so that each sample reads procfs once.
  auto tree = std::make_shared<ProcessTree>(settings.job_roots ? settings.job_roots : fixed_roots({}),
                                            settings.proc_root);
  if (model_cpu) {
    auto sensor = std::make_unique<CpuModelSensor>(lookup_cpu_tdp(settings.data_dir, settings.cpuinfo_path), tree);
    found.probes.push_back({"cpu", "model", "", "used", "no energy counter for cpu", sensor->domains()[0].path});
    found.sensors.push_back(std::move(sensor));
  }
  if (model_dram) {
    auto sensor = std::make_unique<DramModelSensor>(settings.dram_w_per_gb, tree);
    found.probes.push_back({"dram", "model", "", "used", "no energy counter for dram", sensor->domains()[0].path});
    found.sensors.push_back(std::move(sensor));
  }
  return found;
}

}  // namespace erg::sensors::models
