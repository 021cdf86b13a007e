#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/job_marks.hpp"
#include "aggregator/rank_marks.hpp"
#include "trace/job_trace.hpp"

namespace erg {

// What a rank's program says of its job through the C API: its phases (begun and ended at
// sample times, never nested), the items each processed, and its metrics. Misuse is
// repaired, warned about and returned as an ERG_* code; the book is never left inconsistent.
class PhaseBook {
 public:
  using Warn = std::function<void(const std::string&)>;
  explicit PhaseBook(Warn warn) : warn_(std::move(warn)) {}

  int begin(const char* name, const char* kind, double time_s);
  int items(unsigned long long n);
  int end(double time_s);
  int metric(const char* name, double value, int higher_is_better);
  bool has_open_phase() const { return open_.has_value(); }
  const std::string& open_phase_name() const { return open_->name; }
  void end_open_phase(double time_s);  // nothing when none is open

  // This rank's items per phase and its metrics, for rank 0.
  RankMarks rank_marks() const;
  // On rank 0: another rank's items and metrics, by the rule of add_rank_marks. Returns a
  // note when its phases did not match.
  std::optional<std::string> add_rank(int rank, const RankMarks& other);

  // The marks as erg collect reads them back (docs/spool-format.md).
  JobMarks marks(double start_unix_s, int n_ranks, const std::vector<std::string>& notes) const;

 private:
  Warn warn_;
  std::optional<Phase> open_;
  std::vector<Phase> phases_;
  std::vector<Metric> metrics_;
};

}  // namespace erg
