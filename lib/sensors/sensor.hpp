#pragma once
#include <map>
#include <span>
#include <string>
#include <vector>

namespace erg {

// What one energy domain of a sensor is: "cpu", "dram", "gpu0", ...; source is "rapl",
// "nvml", "model", ...; path says where it is read from (a sysfs file, a library, a model).
struct DomainInfo {
  std::string name;
  std::string source;
  std::string path;
  std::map<std::string, std::string> attributes = {};  // e.g. a GPU's index, name and UUID
};

// Every energy source presents the same thing: one cumulative counter in joules per domain,
// starting from 0 at the first read. A value that cannot be read is NaN (missing), never 0.
class Sensor {
 public:
  virtual ~Sensor() = default;
  virtual const std::vector<DomainInfo>& domains() const = 0;
  // Fills energy_j (one slot per domain) with the cumulative joules at monotonic time time_s.
  virtual void read(double time_s, std::span<double> energy_j) = 0;
  // What went wrong while sampling (counter resets, failed reads), for the trace's notes.
  virtual std::vector<std::string> notes() const { return {}; }
};

inline bool is_model_source(const std::string& source) { return source == "model"; }

}  // namespace erg
