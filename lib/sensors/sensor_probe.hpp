#pragma once
#include <string>

namespace erg {

// One line of `erg sensors`: something this node could measure, and whether it is used.
struct SensorProbe {
  std::string domain;  // cpu, dram, gpu0, ... or the zone name when it is not counted
  std::string source;  // rapl, model, nvml, ...
  std::string path;    // the file or library read; empty for a model, which reads none
  std::string status;  // "used", "not counted", "unreadable", "unavailable"
  std::string detail;  // why, in words
  std::string method = {};  // how a model computes the domain's energy ("TDP 24.0 W x CPU share; ...")
};

}  // namespace erg
