#include "sampler/sample_window.hpp"

#include <algorithm>

namespace erg {

SampleWindow::SampleWindow(size_t width, size_t capacity_rows)
    : width_(std::max<size_t>(width, 1)), capacity_rows_(std::max<size_t>(capacity_rows, 4)) {}

void SampleWindow::push(double time_s, std::span<const double> energy_j) {
  thin_if_full();
  values_.push_back(time_s);
  values_.insert(values_.end(), energy_j.begin(), energy_j.end());
  values_.resize(values_.size() + (width_ - 1 - std::min(width_ - 1, energy_j.size())), 0.0);
}

void SampleWindow::append(const std::vector<double>& rows) {
  for (size_t at = 0; at + width_ <= rows.size(); at += width_) {
    thin_if_full();
    values_.insert(values_.end(), rows.begin() + static_cast<long>(at), rows.begin() + static_cast<long>(at + width_));
  }
}

void SampleWindow::take(std::vector<double>& out) {
  if (out.empty()) {
    out.swap(values_);  // values_ gets out's buffer, kept from the last take
    values_.clear();
    return;
  }
  out.insert(out.end(), values_.begin(), values_.end());
  values_.clear();
}

void SampleWindow::thin_if_full() {
  const size_t n = rows();
  if (n < capacity_rows_) return;
  // Keep rows 0, 2, 4, ... and the last one.
  size_t kept = 0;
  for (size_t row = 0; row < n; ++row) {
    if (row % 2 != 0 && row != n - 1) continue;
    if (kept != row)
      std::copy_n(values_.begin() + static_cast<long>(row * width_), width_,
                  values_.begin() + static_cast<long>(kept * width_));
    ++kept;
  }
  thinned_rows_ += n - kept;
  values_.resize(kept * width_);
}

}  // namespace erg
