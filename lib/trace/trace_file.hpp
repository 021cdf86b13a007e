#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "trace/job_trace.hpp"
#include "util/atomic_file.hpp"

namespace erg {

constexpr const char* trace_format_name = "erg-trace";
constexpr long long trace_format_version = 1;

// The job's totals as the accounting found them, kept in /summary for readers without erg.
struct TraceSummary {
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double co2e_g = 0;
  double sampler_cpu_s = 0;
};

// Writes the HDF5 trace (docs/trace-format.md) atomically: a temporary file renamed into place.
// Throws std::runtime_error when the file cannot be written.
void write_trace_file(const JobTrace& trace, const TraceSummary& summary, const std::string& path,
                      const std::optional<FileOwnership>& ownership = std::nullopt);

// Reads a trace back; throws UsageError when the file is missing, not HDF5, not an erg trace,
// damaged (docs/trace-format.md, "Reading it"), or would take more than max_bytes of memory
// for its values (default: ERG_MAX_TRACE_BYTES, else 2 GiB; see read_budget.hpp).
JobTrace read_trace_file(const std::string& path);
JobTrace read_trace_file(const std::string& path, std::uint64_t max_bytes);

// What is wrong with an intensity series (lengths, values that are not finite and >= 0, steps
// out of order), or "": one check for a file given with --intensity and one read from a trace.
std::string grid_intensity_problem(const GridIntensity& series);

}  // namespace erg
