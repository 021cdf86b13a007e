#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace erg {

// JSON as text, for every file and stream erg writes: text that is not valid UTF-8 (a
// user's phase name, a Slurm job name) is written with U+FFFD in its place instead of
// making nlohmann-json throw and the whole file be lost.
inline std::string json_text(const nlohmann::json& json, int indent = -1) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace erg
