#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace erg {

// Samples not yet handed on, as rows of `width` values (time_s, then the cumulative joules
// of each domain), bounded in memory whatever the job's length: at capacity, every second
// row is left out (the first and the last always stay). The counters are cumulative, so
// thinning costs time resolution only, never energy; how many rows were left out is counted.
class SampleWindow {
 public:
  SampleWindow(size_t width, size_t capacity_rows);
  void push(double time_s, std::span<const double> energy_j);
  void append(const std::vector<double>& rows);  // whole rows, as take() gives them
  // Moves every row into out (appended) and empties the window. Into an empty out, the two
  // swap their buffers: the sampler's lock is held for that, not for a copy.
  void take(std::vector<double>& out);
  size_t rows() const { return values_.size() / width_; }
  const std::vector<double>& values() const { return values_; }  // the rows, without taking them
  size_t width() const { return width_; }
  std::uint64_t thinned_rows() const { return thinned_rows_; }

 private:
  void thin_if_full();
  size_t width_;
  size_t capacity_rows_;
  std::vector<double> values_;
  std::uint64_t thinned_rows_ = 0;
};

}  // namespace erg
