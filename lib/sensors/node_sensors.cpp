#include "sensors/node_sensors.hpp"

#include <cstdlib>

#include "sensors/models/cpu_model_sensor.hpp"
#include "sensors/models/cpu_tdp.hpp"
#include "sensors/models/dram_model_sensor.hpp"
#include "sensors/gpu/gpu_sensor.hpp"
#include "sensors/nvml/nvml_backend.hpp"
#include "sensors/rapl/rapl_sensor.hpp"
#include "sensors/rocm_smi/rocm_smi_backend.hpp"

namespace erg {

namespace {

bool has_domain(const NodeSensors& node, const std::string& name) {
  for (const auto& sensor : node.sensors)
    for (const auto& d : sensor->domains())
      if (d.name == name) return true;
  return false;
}

// Adds the backend's GPUs that the job may use, and says which ones it leaves out and why.
void add_gpus(NodeSensors& node, std::unique_ptr<GpuBackend> backend, const GpuSelection& selection) {
  std::vector<GpuDevice> counted;
  for (const auto& d : backend->devices()) {
    std::string domain = "gpu" + std::to_string(d.index);
    std::string path = d.name + " " + d.uuid;
    std::string method = d.has_energy_counter ? "energy counter" : "power integrated over time";
    if (selection.includes(d)) {
      counted.push_back(d);
      node.probes.push_back({domain, backend->source(), path, "used", method});
    } else {
      node.probes.push_back({domain, backend->source(), path, "not counted", "not the job's (" + selection.from + ")"});
    }
  }
  if (!counted.empty()) node.sensors.push_back(std::make_unique<GpuSensor>(std::move(backend), std::move(counted)));
}

}  // namespace

NodeSensors discover_node_sensors(const SensorSettings& settings) {
  NodeSensors node;
  RaplDiscovery rapl = discover_rapl(settings.powercap_root);
  node.probes = std::move(rapl.probes);
  if (rapl.sensor) node.sensors.push_back(std::move(rapl.sensor));
  if (rapl.permission_denied)
    node.warnings.push_back(
        "RAPL energy counters under " + settings.powercap_root +
        " are readable by root only (Linux >= 5.10); using the CPU/DRAM models instead. Fix: run the "
        "agent as root, or add a udev rule such as SUBSYSTEM==\"powercap\", ACTION==\"add\", "
        "RUN+=\"/bin/chmod a+r %S%p/energy_uj\"");
  if (node.probes.empty())
    node.probes.push_back({"cpu", "rapl", settings.powercap_root, "unavailable", "no intel-rapl zone found"});

  std::string reason;
  if (auto nvml = NvmlBackend::open(settings.nvml_library, reason)) add_gpus(node, std::move(nvml), settings.nvidia_gpus);
  else node.probes.push_back({"gpu", "nvml", settings.nvml_library, "unavailable", reason});
  if (auto smi = RocmSmiBackend::open(settings.rocm_smi_library, reason)) add_gpus(node, std::move(smi), settings.amd_gpus);
  else node.probes.push_back({"gpu", "rocm-smi", settings.rocm_smi_library, "unavailable", reason});

  // Models last: a sample's time is taken before its first read, and the models' procfs scan
  // is slow next to a counter read; they integrate over whole intervals and lose nothing.
  auto roots = settings.job_roots ? settings.job_roots : fixed_roots({});
  auto tree = std::make_shared<ProcessTree>(roots, settings.proc_root);
  node.cpu_tdp = lookup_cpu_tdp(settings.data_dir, settings.cpuinfo_path);
  if (!has_domain(node, "cpu")) {
    auto sensor = std::make_unique<CpuModelSensor>(node.cpu_tdp, tree);
    node.probes.push_back({"cpu", "model", sensor->domains()[0].path, "used", "no readable RAPL package zone"});
    node.sensors.push_back(std::move(sensor));
  }
  if (!has_domain(node, "dram")) {
    auto sensor = std::make_unique<DramModelSensor>(settings.dram_w_per_gb, tree);
    node.probes.push_back({"dram", "model", sensor->domains()[0].path, "used", "no readable RAPL dram zone"});
    node.sensors.push_back(std::move(sensor));
  }
  return node;
}

}  // namespace erg
