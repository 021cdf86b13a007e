#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace erg::spool {

// The node daemon's spool file (docs/spool-format.md): an 8-byte magic, then records
//   u32 payload length | u32 CRC-32 of (type byte + payload) | u8 type | payload
// appended whole with one write(2) each, so that after a crash every complete record is
// readable and a torn tail is recognised by its length or checksum.
constexpr std::string_view magic = "ERGSPL1\n";
constexpr std::uint32_t max_payload_bytes = 64u << 20;
constexpr size_t record_header_bytes = 9;

enum class RecordType : std::uint8_t {
  header = 1,   // JSON: node, job, start time, interval, domains, job metadata
  samples = 2,  // u32 count, then per sample f64 time_s and f64 energy_j per domain
  note = 3,     // JSON: {"note": "..."}
  footer = 4,   // JSON: sampler CPU time, why the daemon stopped
};

std::uint32_t checksum(RecordType type, std::string_view payload);
std::string encode_record(RecordType type, std::string_view payload);

}  // namespace erg::spool
