#include "sensors/gpu/gpu_sensor.hpp"

#include <limits>

namespace erg {

Measurement gpu_measurement(const GpuDevice& device) {
  return device.has_energy_counter ? Measurement::counter : Measurement::integrated_power;
}

GpuSensor::GpuSensor(std::unique_ptr<GpuBackend> backend, std::vector<CountedGpu> counted)
    : backend_(std::move(backend)) {
  for (const auto& [domain, d] : counted) {
    states_.push_back({d, std::nullopt, std::nullopt, 0, 0});
    const Measurement measurement = gpu_measurement(d);
    // The "-power" source name is for readers of the trace; the measurement is what code reads.
    std::string source = std::string(backend_->source()) + (measurement == Measurement::counter ? "" : "-power");
    DomainInfo info{domain, source, std::string(backend_->source()) + " device " + std::to_string(d.index)};
    info.attributes = {{"gpu_index", std::to_string(d.index)},
                       {"gpu_name", d.name},
                       {"gpu_uuid", d.uuid},
                       {"method", measurement == Measurement::counter ? "energy counter" : "power integration"}};
    info.measurement = measurement;
    domains_.push_back(std::move(info));
  }
}

void GpuSensor::read(double time_s, std::span<double> energy_j) {
  constexpr double missing = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < states_.size(); ++i) {
    State& s = states_[i];
    energy_j[i] = missing;
    if (domains_[i].measurement == Measurement::counter) {
      auto counter = backend_->energy_j(s.device.index);
      if (!counter) {
        ++failed_reads_;
        continue;
      }
      if (s.last_counter_j && *counter < *s.last_counter_j) {  // fell back: a reset, not energy
        ++resets_;
        s.last_counter_j = counter;
        continue;
      }
      if (s.last_counter_j) s.total_j += *counter - *s.last_counter_j;
      s.last_counter_j = counter;
      energy_j[i] = s.total_j;
    } else {
      auto power = backend_->power_w(s.device.index);
      if (!power) {
        ++failed_reads_;
        continue;
      }
      if (s.last_power_w) s.total_j += 0.5 * (*power + *s.last_power_w) * (time_s - s.last_time_s);
      s.last_power_w = power;
      s.last_time_s = time_s;
      energy_j[i] = s.total_j;
    }
  }
}

std::vector<std::string> GpuSensor::notes() const {
  std::vector<std::string> notes;
  if (resets_)
    notes.push_back(std::to_string(resets_) + " GPU energy counter reset(s) (driver reload?): the energy of those "
                                              "intervals is missing, not counted as negative");
  if (failed_reads_) notes.push_back(std::to_string(failed_reads_) + " GPU reads failed: missing samples");
  return notes;
}

}  // namespace erg
