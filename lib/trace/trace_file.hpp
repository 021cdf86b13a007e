#pragma once
#include <string>

#include "accounting/job_account.hpp"
#include "trace/job_trace.hpp"

namespace erg {

constexpr const char* trace_format_name = "erg-trace";
constexpr long long trace_format_version = 1;

// Writes the HDF5 trace (docs/trace-format.md) atomically: a temporary file renamed into place.
// Throws std::runtime_error when the file cannot be written.
void write_trace_file(const JobTrace& trace, const JobAccount& account, const std::string& path);

// Reads a trace back; throws UsageError when the file is missing, not HDF5, or not an erg trace.
JobTrace read_trace_file(const std::string& path);

}  // namespace erg
