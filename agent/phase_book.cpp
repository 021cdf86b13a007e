#include "phase_book.hpp"

#include <cmath>

#include "erg/erg.h"
#include "trace/phase_kind.hpp"
#include "util/text.hpp"

namespace erg {

void PhaseBook::end_open_phase(double time_s) {
  if (!open_) return;
  open_->end_s = time_s;
  phases_.push_back(*open_);
  open_.reset();
}

int PhaseBook::begin(const char* name, const char* kind, double time_s) {
  int rc = ERG_OK;
  if (open_) {
    warn_("erg_phase_begin(" + std::string(name ? name : "") + ") while phase '" + open_->name +
          "' is open; that phase is ended here (phases do not nest)");
    end_open_phase(time_s);
    rc = ERG_ERR_ORDER;
  }
  Phase phase;
  phase.name = name && *name ? valid_utf8(name) : "unnamed";
  phase.kind = kind ? valid_utf8(kind) : "";
  if (!is_phase_kind(phase.kind)) {
    warn_("phase '" + phase.name + "': kind '" + phase.kind + "' is not search|train|inference|other; using other");
    phase.kind = "other";
    rc = rc ? rc : ERG_ERR_ARGUMENT;
  }
  phase.start_s = time_s;
  open_ = phase;
  return rc;
}

int PhaseBook::items(unsigned long long n) {
  if (!open_) {
    warn_("erg_phase_items with no open phase; ignored");
    return ERG_ERR_ORDER;
  }
  open_->items += n;
  return ERG_OK;
}

int PhaseBook::end(double time_s) {
  if (!open_) {
    warn_("erg_phase_end with no open phase; ignored");
    return ERG_ERR_ORDER;
  }
  end_open_phase(time_s);
  return ERG_OK;
}

int PhaseBook::metric(const char* name, double value, int higher_is_better) {
  if (!name || !*name) {
    warn_("erg_metric without a name; ignored");
    return ERG_ERR_ARGUMENT;
  }
  if (!std::isfinite(value)) {
    warn_("erg_metric(" + std::string(name) + ") with a value that is not a finite number; ignored");
    return ERG_ERR_ARGUMENT;
  }
  metrics_.push_back({valid_utf8(name), value, higher_is_better != 0});
  return ERG_OK;
}

RankMarks PhaseBook::rank_marks() const { return rank_marks_of(marks(0, 0, {})); }

std::optional<std::string> PhaseBook::add_rank(int rank, const RankMarks& other) {
  return add_rank_marks(phases_, metrics_, rank, other);
}

JobMarks PhaseBook::marks(double start_unix_s, int n_ranks, const std::vector<std::string>& notes) const {
  JobMarks marks;
  marks.start_unix_s = start_unix_s;
  marks.n_ranks = n_ranks;
  marks.phases = phases_;
  marks.open_phase = open_;
  marks.metrics = metrics_;
  marks.notes = notes;
  return marks;
}

}  // namespace erg
