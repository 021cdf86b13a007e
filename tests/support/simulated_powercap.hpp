#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "temp_dir.hpp"

namespace erg::testing {

// A powercap sysfs tree in a scratch directory. Counters are rewritten in place (same
// length, zero padded) so that a sensor holding the file open sees every update, as in sysfs.
class SimulatedPowercap {
 public:
  const std::string& root() const { return dir_.path(); }

  // zone: "intel-rapl:0", "intel-rapl:0:1", "intel-rapl-mmio:0", ...
  void add_zone(const std::string& zone, const std::string& name, std::uint64_t energy_uj,
                std::uint64_t max_energy_range_uj = 262143328850ull) {
    dir_.write(zone + "/name", name + "\n");
    dir_.write(zone + "/max_energy_range_uj", std::to_string(max_energy_range_uj) + "\n");
    set_energy(zone, energy_uj);
  }

  void set_energy(const std::string& zone, std::uint64_t energy_uj) const {
    char text[32];
    std::snprintf(text, sizeof text, "%020llu\n", static_cast<unsigned long long>(energy_uj));
    std::string path = dir_ / (zone + "/energy_uj");
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) {
      [[maybe_unused]] auto n = ::pwrite(fd, text, 21, 0);
      ::close(fd);
    }
  }

 private:
  TempDir dir_;
};

}  // namespace erg::testing
