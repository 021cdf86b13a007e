#include "sensors/sensor.hpp"

#include <stdexcept>

namespace erg {

std::string_view measurement_name(Measurement measurement) {
  switch (measurement) {
    case Measurement::counter: return "counter";
    case Measurement::integrated_power: return "integrated_power";
    case Measurement::model: return "model";
    case Measurement::cpu_time: return "cpu_time";
  }
  return "counter";
}

Measurement parse_measurement(std::string_view text) {
  for (Measurement m : {Measurement::counter, Measurement::integrated_power, Measurement::model, Measurement::cpu_time})
    if (measurement_name(m) == text) return m;
  throw std::invalid_argument("unknown measurement '" + std::string(text) + "'");
}

}  // namespace erg
