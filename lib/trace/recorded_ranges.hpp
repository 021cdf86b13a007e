#pragma once
#include "util/number_range.hpp"

namespace erg {

// The ranges of the numeric site settings, wherever a value comes from: the command line,
// ERG_* variables, the site file, or what a trace or a spool recorded. Kept with the trace,
// the lowest layer that reads them back, so that readers need not depend on the settings.
inline constexpr NumberRange pue_range{1.0, 10.0};
inline constexpr NumberRange emission_factor_range{0.0, 5000.0};
inline constexpr NumberRange interval_range{0.001, 86400.0};

}  // namespace erg
