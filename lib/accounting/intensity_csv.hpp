#pragma once
#include <string>

#include "trace/job_trace.hpp"

namespace erg {

// Reads a grid intensity series (erg --intensity FILE.csv, docs/accounting.md): a header line,
// then one row per step, each value holding until the next row's time and the last for as
// long as the step before it (one hour for a series of one row). Columns are found by name:
// DESIGN.md's `datetime,carbon_intensity_g_per_kwh`, and the names of common exports:
// Electricity Maps ("Datetime (UTC)", "Carbon Intensity gCO₂eq/kWh (LCA)" preferred over
// "(direct)", the lifecycle basis of erg's region factors) and ENTSO-E-derived series
// ("timestamp", "start", "carbon_intensity_gco2_per_kwh", "co2_intensity", ...). Times are
// ISO 8601 (util/utc_date.hpp). Throws UsageError, naming the file and line, for a file that
// is not such a series: no rows, an unknown column, a time or a value that is not one, a
// value that is not a finite number >= 0, times out of order or repeated.
GridIntensity read_intensity_csv(const std::string& path);

}  // namespace erg
