#include "aggregator/job_marks.hpp"

#include <cmath>
#include <stdexcept>

#include "trace/phase_kind.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

constexpr size_t max_entries = 10000;
constexpr size_t max_text = 256;
constexpr size_t max_notes = 100;
constexpr int max_depth = 8;  // marks are 4 levels deep; anything deeper is not marks
constexpr double min_start_unix_s = 946684800;   // 2000-01-01
constexpr double max_start_unix_s = 4102444800;  // 2100-01-01
constexpr int max_ranks = 1 << 24;
constexpr std::uint64_t max_items = 1000000000000000ull;  // 1e15 per phase

std::string bounded(const nlohmann::json& j, const char* key) {
  std::string text = j.at(key).get<std::string>();
  return valid_utf8(text.size() > max_text ? text.substr(0, max_text) : text);
}

double finite(const nlohmann::json& j, const char* key) {
  double x = j.at(key).get<double>();
  if (!std::isfinite(x)) throw std::runtime_error(std::string(key) + " is not finite");
  return x;
}

double within(const nlohmann::json& j, const char* key, double min, double max) {
  double x = finite(j, key);
  if (x < min || x > max) throw std::runtime_error(std::string(key) + " is out of range");
  return x;
}

Phase parse_phase(const nlohmann::json& p, double end_s) {
  std::string kind = bounded(p, "kind");
  if (!is_phase_kind(kind)) kind = "other";
  auto items = p.at("items").get<std::uint64_t>();
  if (items > max_items) throw std::runtime_error("items is out of range");
  return Phase{bounded(p, "name"), kind, within(p, "start_s", -1e9, 1e9), end_s, items};
}

// The nesting depth of JSON text, counted before it is parsed: nlohmann-json parses deep
// text fine but copies and destroys it recursively, and 150,000 levels overflow the stack.
bool nesting_within(const std::string& text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
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
  if (marks.rank != 0) j["rank"] = marks.rank;
  if (!marks.node.empty()) j["node"] = marks.node;
  return j;
}

JobMarks parse_marks(const std::string& text) {
  if (text.size() > max_marks_bytes) throw std::runtime_error("larger than " + std::to_string(max_marks_bytes) + " bytes");
  if (!nesting_within(text, max_depth)) throw std::runtime_error("nested deeper than marks are");
  try {
    auto j = nlohmann::json::parse(text);
    if (!j.is_object() || j.value("format", "") != "erg-marks") throw std::runtime_error("not erg marks");
    JobMarks marks;
    marks.start_unix_s = within(j, "start_unix_s", min_start_unix_s, max_start_unix_s);
    marks.n_ranks = static_cast<int>(within(j, "n_ranks", 0, max_ranks));
    if (j.contains("rank")) marks.rank = static_cast<int>(within(j, "rank", 0, max_ranks - 1));
    if (j.contains("node")) marks.node = bounded(j, "node");
    const auto& phases = j.at("phases");
    const auto& metrics = j.at("metrics");
    if (!phases.is_array() || !metrics.is_array()) throw std::runtime_error("phases and metrics are lists");
    if (phases.size() > max_entries || metrics.size() > max_entries) throw std::runtime_error("too many entries");
    // One bad entry costs that entry, with a note, not the job's other phases.
    auto refused = [&](const std::string& what, size_t index, const std::exception& e) {
      if (marks.notes.size() < max_notes)
        marks.notes.push_back("marks: " + what + " " + std::to_string(index) + " ignored (" + e.what() + ")");
    };
    for (size_t i = 0; i < phases.size(); ++i) try {
        const auto& p = phases[i];
        Phase phase = parse_phase(p, within(p, "end_s", -1e9, 1e9));
        if (phase.end_s < phase.start_s) throw std::runtime_error("it ends before it starts");
        marks.phases.push_back(phase);
      } catch (const std::exception& e) {
        refused("phase", i, e);
      }
    if (j.contains("open_phase")) try {
        const auto& p = j.at("open_phase");
        marks.open_phase = parse_phase(p, within(p, "start_s", -1e9, 1e9));
      } catch (const std::exception& e) {
        refused("open phase", 0, e);
      }
    for (size_t i = 0; i < metrics.size(); ++i) try {
        const auto& m = metrics[i];
        marks.metrics.push_back({bounded(m, "name"), finite(m, "value"), m.at("higher_is_better").get<bool>()});
      } catch (const std::exception& e) {
        refused("metric", i, e);
      }
    const auto notes = j.value("notes", nlohmann::json::array());
    if (notes.is_array())
      for (const auto& n : notes)
        if (n.is_string() && marks.notes.size() < max_notes) marks.notes.push_back(valid_utf8(n.get<std::string>().substr(0, 1000)));
    return marks;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed marks: ") + e.what());
  }
}

}  // namespace erg
