#pragma once
#include <string>

namespace erg {

// One line of `erg sensors`: something this node could measure, and whether it is used.
struct SensorProbe {
  std::string domain;  // cpu, dram, gpu0, ... or the zone name when it is not counted
  std::string source;  // rapl, model, nvml, ...
  std::string path;
  std::string status;  // "used", "not counted", "unreadable", "unavailable"
  std::string detail;  // why, in words
};

}  // namespace erg
