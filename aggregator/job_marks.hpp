#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "trace/job_trace.hpp"

namespace erg {

// What an MPI agent leaves in its job's spool folder, marks/ (the node daemons' folder, or
// its own beside the trace), while the job runs and at its end: its phases and metrics, with the wall-clock time of its time 0, so that erg collect can
// put them on the job's time base. Written by the job's user: read as untrusted input.
struct JobMarks {
  double start_unix_s = 0;
  int n_ranks = 0;
  std::vector<Phase> phases;
  std::optional<Phase> open_phase;  // begun, not yet ended (its end_s is meaningless)
  std::vector<Metric> metrics;
  std::vector<std::string> notes;
  // Who wrote them: rank 0 (the job's phases, and the MPI agent's items of every rank), or,
  // without MPI (erg_init_ranks), another rank, whose items and metrics are added to rank
  // 0's by the job assembler (aggregator/rank_marks.hpp); and on which node ("" unknown).
  int rank = 0;
  std::string node;
};

// What erg reads of a job's marks (docs/security.md): a file of at most this size, at most
// max_marks_files of them per job; the rest is refused with a note in the trace.
inline constexpr size_t max_marks_bytes = size_t{1} << 20;
inline constexpr size_t max_marks_files = 64;

nlohmann::json marks_json(const JobMarks& marks);
// Throws std::runtime_error when the text is not well-formed marks (too large, nested deeper
// than marks are, malformed, or a start time or rank count out of range); a phase or metric
// that is not right is left out with a note in the marks.
JobMarks parse_marks(const std::string& text);

}  // namespace erg
