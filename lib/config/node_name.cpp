#include "config/node_name.hpp"

#include <unistd.h>

#include <cstdlib>

namespace erg {

std::string node_name(const Settings& settings) {
  if (!settings.node_name.empty()) return settings.node_name;
  if (const char* slurm = std::getenv("SLURMD_NODENAME"); slurm && *slurm) return slurm;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0]) return host;
  return "localhost";
}

}  // namespace erg
