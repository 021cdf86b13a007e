#include "sensors/cpu_time/cpu_time_source.hpp"

#include "sensors/cpu_time/cpu_time_sensor.hpp"

namespace erg::sensors::cpu_time {

SourceDiscovery discover(const SensorSettings& settings, DomainRegistry& domains) {
  SourceDiscovery found;
  if (!settings.record_cpu_time) return found;
  // Only the node's own counters are split; the models already count the job's processes
  // alone (and walk them with a tree of their own), so without RAPL there is nothing to do.
  if (domains.owner("cpu") != "rapl" && domains.owner("dram") != "rapl") return found;
  if (!domains.claim(CpuTimeSensor::job_domain, "procfs") || !domains.claim(CpuTimeSensor::node_domain, "procfs"))
    return found;
  auto tree = std::make_shared<ProcessTree>(settings.job_roots ? settings.job_roots : fixed_roots({}),
                                            settings.proc_root);
  std::shared_ptr<ProcessTree> jobs_tree;
  if (settings.all_job_roots && domains.claim(CpuTimeSensor::jobs_domain, "procfs"))
    jobs_tree = std::make_shared<ProcessTree>(settings.all_job_roots, settings.proc_root);
  auto sensor = std::make_unique<CpuTimeSensor>(std::move(tree), std::move(jobs_tree), settings.proc_root);
  found.probes.push_back({"cpu time", "procfs", settings.proc_root + "/stat", "used",
                          "shared node: the job's and the node's CPU time divide its counters"});
  found.sensors.push_back(std::move(sensor));
  return found;
}

}  // namespace erg::sensors::cpu_time
