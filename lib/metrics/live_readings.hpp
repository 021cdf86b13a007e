#pragma once
#include <string>
#include <vector>

namespace erg::metrics {

// What erg exporter serves, as the sampling side last read it: the node's own counters and
// each running job's charged energy on the node.
struct DomainEnergy {
  std::string domain;  // cpu, dram, gpu0, ...
  double energy_j = 0;
};

struct DomainPower {
  std::string domain;
  double power_w = 0;
};

struct NodeReading {
  std::string node;
  std::vector<DomainEnergy> energy_j;  // cumulative since the exporter started
  std::vector<DomainPower> power_w;    // over the last sampling interval
};

struct JobReading {
  std::string job_id;
  std::string user;
  std::string node;
  std::vector<DomainEnergy> energy_j;  // the job's share on this node since it started
  double co2e_g = 0;                   // of all its domains, with the site's PUE and factor
};

}  // namespace erg::metrics
