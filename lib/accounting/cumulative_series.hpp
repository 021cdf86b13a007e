#pragma once
#include <vector>

namespace erg {

// A cumulative energy series with its missing samples left out, so that the energy between
// any two times is the difference of linearly interpolated values. Before the first valid
// sample and after the last one the value is held, so a job's intervals always add up.
class CumulativeSeries {
 public:
  CumulativeSeries(const std::vector<double>& time_s, const std::vector<double>& energy_j);
  bool empty() const { return time_s_.empty(); }
  double at(double time_s) const;
  double between(double start_s, double end_s) const { return at(end_s) - at(start_s); }
  double total() const { return empty() ? 0.0 : energy_j_.back() - energy_j_.front(); }
  double first_time_s() const { return empty() ? 0.0 : time_s_.front(); }
  double last_time_s() const { return empty() ? 0.0 : time_s_.back(); }

 private:
  std::vector<double> time_s_;
  std::vector<double> energy_j_;
};

}  // namespace erg
