#include "aggregator/job_marks.hpp"

#include <cmath>
#include <stdexcept>

#include "trace/phase_kind.hpp"

namespace erg {

namespace {

constexpr size_t max_entries = 100000;
constexpr size_t max_text = 256;

std::string bounded(const nlohmann::json& j, const char* key) {
  std::string text = j.at(key).get<std::string>();
  return text.size() > max_text ? text.substr(0, max_text) : text;
}

double finite(const nlohmann::json& j, const char* key) {
  double x = j.at(key).get<double>();
  if (!std::isfinite(x)) throw std::runtime_error(std::string(key) + " is not finite");
  return x;
}

Phase parse_phase(const nlohmann::json& p, double end_s) {
  std::string kind = bounded(p, "kind");
  if (!is_phase_kind(kind)) kind = "other";
  return Phase{bounded(p, "name"), kind, finite(p, "start_s"), end_s, p.at("items").get<std::uint64_t>()};
}

}  // namespace

nlohmann::json marks_json(const JobMarks& marks) {
  nlohmann::json j = {{"format", "erg-marks"}, {"start_unix_s", marks.start_unix_s}, {"n_ranks", marks.n_ranks}};
  j["phases"] = nlohmann::json::array();
  for (const auto& p : marks.phases)
    j["phases"].push_back(
        {{"name", p.name}, {"kind", p.kind}, {"start_s", p.start_s}, {"end_s", p.end_s}, {"items", p.items}});
  if (marks.open_phase)
    j["open_phase"] = {{"name", marks.open_phase->name}, {"kind", marks.open_phase->kind},
                       {"start_s", marks.open_phase->start_s}, {"items", marks.open_phase->items}};
  j["metrics"] = nlohmann::json::array();
  for (const auto& m : marks.metrics)
    j["metrics"].push_back({{"name", m.name}, {"value", m.value}, {"higher_is_better", m.higher_is_better}});
  j["notes"] = marks.notes;
  return j;
}

JobMarks parse_marks(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    if (j.at("format") != "erg-marks") throw std::runtime_error("not erg marks");
    JobMarks marks;
    marks.start_unix_s = finite(j, "start_unix_s");
    marks.n_ranks = j.at("n_ranks").get<int>();
    if (j.at("phases").size() > max_entries || j.at("metrics").size() > max_entries)
      throw std::runtime_error("too many entries");
    for (const auto& p : j.at("phases")) {
      Phase phase = parse_phase(p, finite(p, "end_s"));
      if (phase.end_s < phase.start_s) throw std::runtime_error("a phase ends before it starts");
      marks.phases.push_back(phase);
    }
    if (j.contains("open_phase")) {
      const auto& p = j.at("open_phase");
      marks.open_phase = parse_phase(p, finite(p, "start_s"));
    }
    for (const auto& m : j.at("metrics"))
      marks.metrics.push_back({bounded(m, "name"), finite(m, "value"), m.at("higher_is_better").get<bool>()});
    for (const auto& n : j.value("notes", nlohmann::json::array()))
      if (marks.notes.size() < 100) marks.notes.push_back(n.get<std::string>().substr(0, 1000));
    return marks;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed marks: ") + e.what());
  }
}

}  // namespace erg
