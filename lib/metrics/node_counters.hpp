#pragma once
#include <string>
#include <vector>

#include "metrics/live_readings.hpp"
#include "sampler/sampler.hpp"
#include "sensors/node_sensors.hpp"

namespace erg::metrics {

// The node's own counters for erg exporter: the sensors that erg agent finds (the same
// discovery), read by the same drift-free Sampler, but with no job and no spool: the exporter
// serves the node's latest figures and keeps nothing else.
class NodeCounters {
 public:
  NodeCounters(std::string node, NodeSensors sensors, double interval_s);
  NodeCounters(const NodeCounters&) = delete;
  NodeCounters& operator=(const NodeCounters&) = delete;

  // Takes the samples since the last call: each domain's joules since the start, and its
  // power between the last two samples. A domain whose reads fail keeps its last energy and
  // has no power.
  NodeReading read();

 private:
  std::string node_;
  Sampler sampler_;
  std::vector<double> rows_;
  std::vector<double> last_j_;        // per domain, the last reading that was not NaN
  std::vector<double> power_w_;       // per domain, NaN until two readings
  std::vector<double> previous_row_;  // the last sample of the previous read()
};

}  // namespace erg::metrics
