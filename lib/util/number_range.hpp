#pragma once
#include <cmath>

namespace erg {

// The values a number takes: finite and within [min, max].
struct NumberRange {
  double min;
  double max;
  bool contains(double value) const { return std::isfinite(value) && value >= min && value <= max; }
};

}  // namespace erg
