#pragma once
#include <string>

#include "config/settings.hpp"

namespace erg {

// The node a process belongs to: --node-name / ERG_NODE_NAME, else SLURMD_NODENAME, else the host name.
std::string node_name(const Settings& settings);

}  // namespace erg
