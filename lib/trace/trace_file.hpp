#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "trace/job_trace.hpp"
#include "trace/node_summary.hpp"
#include "util/atomic_file.hpp"

namespace erg {

constexpr const char* trace_format_name = "erg-trace";
constexpr long long trace_format_version = 1;
// A node file's format (docs/trace-format.md, "Node files"): /nodes/<node> as in a trace.
constexpr const char* node_file_format_name = "erg-node-samples";
// A node file's root attribute: the start_utc of the job it belongs to, checked against the
// job file's when erg reads it (a rerun of the same job may leave another run's file there).
constexpr const char* node_file_start_attribute = "job_start_utc";

// The job's totals as the accounting found them, kept in /summary for readers without erg.
struct TraceSummary {
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double co2e_g = 0;
  double sampler_cpu_s = 0;
};

// What the job file holds besides the trace's own record: its nodes' summaries and power
// series (the accounting tables), and the totals the accounting made of them.
struct TraceParts {
  const std::vector<NodeSummary>& nodes;
  const PowerSeries& power;
  TraceSummary totals;
};

// Where the samples go: linked, each node's in its node file (write_node_file; the summary's
// node_file names it), as jobs write them; packed, trace.nodes inside the job file itself.
enum class TraceLayout { linked, packed };

// Writes the HDF5 trace (docs/trace-format.md) atomically: a temporary file renamed into place.
// Throws std::runtime_error when the file cannot be written.
void write_trace_file(const JobTrace& trace, const TraceParts& parts, const std::string& path, TraceLayout layout,
                      const std::optional<FileOwnership>& ownership = std::nullopt);

// Writes one node's samples into its node file beside the job file at trace_path (the job file
// itself is written later, by whoever has every node's summary), atomically. Returns the link
// the job file keeps (node_files.hpp). Throws std::runtime_error when it cannot be written.
std::string write_node_file(const NodeTrace& node, const std::string& trace_path, const std::string& start_utc,
                            const std::optional<FileOwnership>& ownership = std::nullopt);

// erg collect --pack: one self-contained file with the trace's node files inside it, for
// archival; it reads as the trace does. Written on disk as it is built (its memory does not
// grow with the samples), under a temporary name renamed into place. parts: the trace's own
// (read from it). Throws UsageError when a node file is missing or is not the trace's.
// trace: the trace at trace_path as read_trace_file read it. The packed file gets the job
// file's permissions (a trace its group may read stays one only its group may read).
void pack_trace_file(const std::string& trace_path, const JobTrace& trace, const TraceParts& parts,
                     const std::string& packed_path);

// Reads a trace back: its record and accounting tables, never the node files (a trace from
// before the tables: its /nodes, whole, and summaries_of makes the tables of it). Throws UsageError when the file is missing, not HDF5, not an erg trace,
// damaged (docs/trace-format.md, "Reading it"), or would take more than max_bytes of memory
// for its values (default: ERG_MAX_TRACE_BYTES, else 2 GiB; see read_budget.hpp).
// samples: also every node's samples (trace.nodes), from the job file or its node files.
enum class TraceRead { accounting, samples };
JobTrace read_trace_file(const std::string& path, TraceRead what = TraceRead::accounting);
JobTrace read_trace_file(const std::string& path, std::uint64_t max_bytes, TraceRead what = TraceRead::accounting);

// What is wrong with an intensity series (lengths, values that are not finite and >= 0, steps
// out of order), or "": one check for a file given with --intensity and one read from a trace.
std::string grid_intensity_problem(const GridIntensity& series);

}  // namespace erg
