#pragma once
#include <optional>
#include <string>

#include "aggregator/job_marks.hpp"
#include "spool/spool_directory.hpp"

namespace erg::rank_files {

// Without MPI (erg_init_ranks), a job's ranks meet in its spool folder (beside ERG_OUT, or
// the Slurm node daemons' SPOOL/<job>/): rank 0's marks (marks/agent-<pid>.json, saved at
// once) say that it has set the folder up; every other rank leaves marks of its own
// (marks/rank-<r>.json) when it finishes, once its node's spool, if it led the node, has
// its final record (docs/spool-format.md).

std::string name_for(int rank);  // rank-3.json
std::optional<int> rank_of(const std::string& name);  // rank-3.json -> 3; nothing for another name

// How much earlier than this process another rank of the same launch may have started
// (torchrun and srun start a node's ranks together; nodes within seconds of each other).
inline constexpr double launch_spread_s = 30.0;

// The wall clock when the ranks of this process's launch started, at the earliest: marks
// dated before it are an earlier job's (a killed run's folder not yet set aside).
double launch_start_unix_s();

// Whether the folder holds rank 0's marks of this launch.
bool has_rank0_marks(const spool::JobSpoolDirectory& folder, double not_before_unix_s);

// Rank r's marks of this launch, or nothing while it has not left them.
std::optional<JobMarks> read_rank(const spool::JobSpoolDirectory& folder, int rank, double not_before_unix_s);

}  // namespace erg::rank_files
