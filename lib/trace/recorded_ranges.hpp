#pragma once
#include <limits>

#include "util/number_range.hpp"

namespace erg {

// The ranges of the numeric site settings, wherever a value comes from: the command line,
// ERG_* variables, the site file, or what a trace or a spool recorded. Kept with the trace,
// the lowest layer that reads them back, so that readers need not depend on the settings.
inline constexpr NumberRange pue_range{1.0, 10.0};
inline constexpr NumberRange emission_factor_range{0.0, 5000.0};
inline constexpr NumberRange interval_range{0.001, 86400.0};

// What else a trace or a spool records: counts, durations and the wall clock of a start.
inline constexpr NumberRange at_least_zero{0, std::numeric_limits<double>::max()};
inline constexpr NumberRange count_range{0, std::numeric_limits<int>::max()};  // ranks, logical CPUs
inline constexpr NumberRange exit_code_range{-1, std::numeric_limits<int>::max()};
inline constexpr NumberRange byte_count_range{0, 9.0e18};                        // within int64
inline constexpr NumberRange fraction_range{0, 1};
// 2000-01-01 to 2100-01-01 UTC: a start outside it is a damaged clock or file, and would print
// as a date no job ran on (1e11 s is in the year 5138; the int64 nanoseconds of a date
// library overflow into 1677).
inline constexpr NumberRange start_unix_range{946684800.0, 4102444800.0};

}  // namespace erg
