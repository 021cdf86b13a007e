// libFuzzer: the spool reader, which root's erg collect runs on files a crash may have torn.
#include <cstddef>
#include <cstdint>
#include <string>

#include "spool/spool_reader.hpp"
#include "util/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes = "ERGSPL1\n" + std::string(reinterpret_cast<const char*>(data), size);
  try {
    auto contents = erg::spool::parse_spool(bytes, "fuzz");
    // Whatever was kept must be consistent: one value per time per domain.
    for (const auto& d : contents.node.domains)
      if (d.energy_j.size() != contents.node.time_s.size()) __builtin_trap();
  } catch (const erg::UsageError&) {
  }
  return 0;
}
