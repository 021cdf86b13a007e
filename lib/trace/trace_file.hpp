#pragma once
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

// Reads a trace back; throws UsageError when the file is missing, not HDF5, or not an erg trace.
JobTrace read_trace_file(const std::string& path);

}  // namespace erg
