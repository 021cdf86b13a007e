#include "aggregator/rank_marks.hpp"

namespace erg {

RankMarks rank_marks_of(const JobMarks& marks) {
  RankMarks mine;
  for (const auto& p : marks.phases) mine.phase_items.emplace_back(p.name, p.items);
  if (marks.open_phase) mine.phase_items.emplace_back(marks.open_phase->name, marks.open_phase->items);
  mine.metrics = marks.metrics;
  return mine;
}

std::optional<std::string> add_rank_marks(std::vector<Phase>& phases, std::vector<Metric>& metrics, int rank,
                                          const RankMarks& other) {
  size_t matched = 0;
  for (size_t i = 0; i < other.phase_items.size() && i < phases.size(); ++i) {
    if (other.phase_items[i].first != phases[i].name) break;
    phases[i].items += other.phase_items[i].second;
    ++matched;
  }
  for (const auto& m : other.metrics) {
    bool known = false;
    for (const auto& mine : metrics) known = known || (mine.name == m.name && mine.value == m.value);
    if (!known) metrics.push_back(m);
  }
  if (matched == other.phase_items.size()) return std::nullopt;
  return "rank " + std::to_string(rank) + " marked other phases than rank 0; its items from phase " +
         std::to_string(matched + 1) + " on are not counted";
}

}  // namespace erg
