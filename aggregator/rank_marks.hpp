#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/job_marks.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// What one rank adds to the job's marks: the items it processed in each of its phases (in
// order, with the phase's name) and the metrics it recorded. Rank 0's phases define the
// job's; every rank processes its own share of the items (DESIGN.md: items are summed over
// ranks, metrics from any rank are kept). It reaches rank 0 through MPI (agent/rank_gather)
// or, without MPI, as a marks file of its own in the job's spool folder (JobMarks::rank > 0).
struct RankMarks {
  std::vector<std::pair<std::string, std::uint64_t>> phase_items;
  std::vector<Metric> metrics;
};

RankMarks rank_marks_of(const JobMarks& marks);

// The one rule, for the MPI agent and the job assembler alike: another rank's items are
// added to the phase at the same place with the same name (a rank whose phases differ adds
// nothing from the first difference on), its metrics are kept unless the same metric with
// the same value is already there. Returns a note when its phases did not match.
std::optional<std::string> add_rank_marks(std::vector<Phase>& phases, std::vector<Metric>& metrics, int rank,
                                          const RankMarks& other);

}  // namespace erg
