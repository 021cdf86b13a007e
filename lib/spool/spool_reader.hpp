#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spool/spool_directory.hpp"
#include "spool/spool_footer.hpp"
#include "trace/node_trace.hpp"

namespace erg::spool {

// What one node's spool holds; everything valid in it, damaged parts skipped and counted.
struct SpoolContents {
  nlohmann::json header;
  std::optional<SpoolFooter> footer;     // none when the sampler ended hard (killed)
  NodeTrace node;                        // times on the node's own base (0 = its start)
  std::uint64_t skipped_bytes = 0;       // torn tail or garbage between records
  std::uint64_t skipped_records = 0;     // records that were whole but made no sense
  // The reader's own: each domain's last reading that was not NaN, so that every samples
  // record is checked against it without walking back over all before it (a domain whose
  // reads all fail would make that quadratic in the spool's length).
  std::vector<std::optional<double>> last_reading_j;
};

// Throws UsageError when the file cannot be read, is not a spool, or has no valid header.
SpoolContents read_spool_file(const std::string& path);
SpoolContents parse_spool(const std::string& bytes, const std::string& name);
// Reads the records of bytes from offset on (after the magic) into out, as parse_spool does,
// and returns where it stopped. complete: bytes are the whole file, so damaged bytes at its
// end are skipped; otherwise (a live spool read as it grows, spool_follower.hpp) they may be
// a record still being written, and reading stops before them.
size_t read_records(SpoolContents& out, std::string_view bytes, size_t offset, bool complete);

// The same contents without a file: from a header (spool::spool_header; throws
// std::runtime_error when it is not valid) and rows of samples (time_s, then one cumulative
// energy_j per domain: width values each), checked as a spool's samples records are.
SpoolContents contents_from_header(const nlohmann::json& header);

// The header of dir's spool NAME, read from its first 64 KiB only (a live spool may be
// gigabytes): what a waiting reader needs (its pid, its interval). nullopt when it has none.
std::optional<nlohmann::json> read_spool_header(const JobSpoolDirectory& dir, const std::string& name);
void add_rows(SpoolContents& contents, const std::vector<double>& rows, size_t width);

}  // namespace erg::spool
