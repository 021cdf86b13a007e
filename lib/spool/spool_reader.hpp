#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "trace/node_trace.hpp"

namespace erg::spool {

// What one node's spool holds; everything valid in it, damaged parts skipped and counted.
struct SpoolContents {
  nlohmann::json header;
  std::optional<nlohmann::json> footer;  // none when the daemon was killed
  NodeTrace node;                        // times on the node's own base (0 = its start)
  std::uint64_t skipped_bytes = 0;       // torn tail or garbage between records
  std::uint64_t skipped_records = 0;     // records that were whole but made no sense
};

// Throws UsageError when the file cannot be read, is not a spool, or has no valid header.
SpoolContents read_spool_file(const std::string& path);
SpoolContents parse_spool(const std::string& bytes, const std::string& name);

}  // namespace erg::spool
