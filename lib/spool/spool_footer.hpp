#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace erg::spool {

// The final record of a node's spool (docs/spool-format.md): written once, when the node's
// session stopped cleanly. Its absence is how erg collect knows a sampler ended hard.
struct SpoolFooter {
  double sampler_cpu_s = 0;     // the sampler's own CPU time: the measurement overhead
  std::string stopped_by;       // "end", "erg_finalize", a signal's name, ...
  double end_unix_s = 0;        // the wall clock when it stopped
  std::uint64_t thinned_samples = 0;  // samples left out while the spool could not be written
};

nlohmann::json footer_json(const SpoolFooter& footer);
// Throws std::runtime_error when the record is not a footer; numbers out of range become 0.
SpoolFooter parse_footer(const nlohmann::json& json);

}  // namespace erg::spool
