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

RankMarks PhaseBook::rank_marks() const {
  RankMarks mine;
  for (const auto& p : phases_) mine.phase_items.emplace_back(p.name, p.items);
  mine.metrics = metrics_;
  return mine;
}

std::optional<std::string> PhaseBook::add_rank(int rank, const RankMarks& other) {
  size_t matched = 0;
  for (size_t i = 0; i < other.phase_items.size() && i < phases_.size(); ++i) {
    if (other.phase_items[i].first != phases_[i].name) break;
    phases_[i].items += other.phase_items[i].second;
    ++matched;
  }
  for (const auto& m : other.metrics) {
    bool known = false;
    for (const auto& mine : metrics_) known = known || (mine.name == m.name && mine.value == m.value);
    if (!known) metrics_.push_back(m);
  }
  if (matched == other.phase_items.size()) return std::nullopt;
  return "rank " + std::to_string(rank) + " marked other phases than rank 0; its items from phase " +
         std::to_string(matched + 1) + " on are not counted";
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
