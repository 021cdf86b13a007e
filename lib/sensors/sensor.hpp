#pragma once
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace erg {

// How a domain's joules were obtained: read from a hardware energy counter, integrated from
// power readings, or computed by a model (an estimate, and reports say so). cpu_time is not
// energy: cumulative CPU seconds (of the job, of the node) that a shared node's split needs;
// the job's assembly takes such series out of the energy domains.
enum class Measurement { counter, integrated_power, model, cpu_time };

// "counter", "integrated_power", "model", "cpu_time": the trace's `measurement` attribute.
std::string_view measurement_name(Measurement measurement);
// Throws std::invalid_argument for any other text.
Measurement parse_measurement(std::string_view text);

// What one energy domain of a sensor is: "cpu", "dram", "gpu0", ...; source is "rapl",
// "nvml", "model", ...; path says where it is read from (a sysfs file, a library, a model).
struct DomainInfo {
  std::string name;
  std::string source;
  std::string path;
  std::map<std::string, std::string> attributes = {};  // e.g. a GPU's index, name and UUID
  Measurement measurement = Measurement::counter;
  bool is_estimate() const { return measurement == Measurement::model; }
  // A counter of the whole node (RAPL), not of the job's own devices or processes: on a
  // node shared with other jobs, the job is charged a share of it.
  static constexpr const char* scope_attribute = "scope";
  static constexpr const char* node_scope = "node";
  bool counts_whole_node() const {
    auto it = attributes.find(scope_attribute);
    return it != attributes.end() && it->second == node_scope;
  }
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

}  // namespace erg
