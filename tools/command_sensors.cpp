#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command_line.hpp"
#include "commands.hpp"
#include "config/node_name.hpp"
#include "sensors/node_sensors.hpp"
#include "session/sensor_settings.hpp"
#include "util/json_text.hpp"

namespace erg::tools {

int command_sensors(const Arguments& args) {
  po::options_description own("erg sensors");
  own.add_options()("format", po::value<std::string>(), "text or json");
  po::variables_map vm;
  if (!parse_command_line(args, "erg sensors [--format text|json]", own, vm)) return 0;
  std::string format = checked_format(vm, {"text", "json"});
  Settings settings = settings_from(vm);

  NodeSensors node = discover_node_sensors(sensor_settings_from(settings));

  if (format == "json") {
    nlohmann::json out;
    out["node"] = node_name(settings);
    out["sensors"] = nlohmann::json::array();
    for (const auto& p : node.probes)
      out["sensors"].push_back(
          {{"domain", p.domain}, {"source", p.source}, {"path", p.path}, {"status", p.status}, {"detail", p.detail}});
    out["warnings"] = node.warnings;
    std::cout << json_text(out, 2) << "\n";
    return 0;
  }
  std::cout << "node " << node_name(settings) << "\n";
  std::cout << "  domain   source  status        path / why\n";
  for (const auto& p : node.probes) {
    std::ostringstream line;
    line << "  " << p.domain;
    line << std::string(p.domain.size() < 9 ? 9 - p.domain.size() : 1, ' ') << p.source
         << std::string(p.source.size() < 8 ? 8 - p.source.size() : 1, ' ') << p.status
         << std::string(p.status.size() < 14 ? 14 - p.status.size() : 1, ' ') << p.path;
    if (!p.detail.empty()) line << "  (" << p.detail << ")";
    std::cout << line.str() << "\n";
  }
  for (const auto& w : node.warnings) std::cout << "warning: " << w << "\n";
  return 0;
}

}  // namespace erg::tools
