#pragma once
#include <string_view>

namespace erg {

// The kinds a phase may have (DESIGN.md, the C API): one check for the agent, which warns
// about any other, and for the marks it reads back, which turn any other into "other".
inline bool is_phase_kind(std::string_view kind) {
  return kind == "search" || kind == "train" || kind == "inference" || kind == "other";
}

}  // namespace erg
