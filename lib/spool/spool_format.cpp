#include "spool/spool_format.hpp"

#include <zlib.h>

#include <cstring>

namespace erg::spool {

std::uint32_t checksum(RecordType type, std::string_view payload) {
  auto type_byte = static_cast<unsigned char>(type);
  uLong crc = crc32(0L, &type_byte, 1);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
  return static_cast<std::uint32_t>(crc);
}

std::string encode_record(RecordType type, std::string_view payload) {
  std::string record(record_header_bytes + payload.size(), '\0');
  std::uint32_t length = static_cast<std::uint32_t>(payload.size()), crc = checksum(type, payload);
  std::memcpy(record.data(), &length, 4);  // little-endian on every platform erg runs on
  std::memcpy(record.data() + 4, &crc, 4);
  record[8] = static_cast<char>(type);
  std::memcpy(record.data() + record_header_bytes, payload.data(), payload.size());
  return record;
}

}  // namespace erg::spool
