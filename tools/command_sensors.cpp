#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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
    // A model reads no file: its path is null and its method says how it computes.
    auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
    for (const auto& p : node.probes)
      out["sensors"].push_back({{"domain", p.domain},
                                {"source", p.source},
                                {"path", or_null(p.path)},
                                {"method", or_null(p.method)},
                                {"status", p.status},
                                {"detail", p.detail}});
    out["warnings"] = node.warnings;
    std::cout << json_text(out, 2) << "\n";
    return 0;
  }
  // A table whose columns are as wide as their longest cell; the last one runs on.
  std::vector<std::vector<std::string>> rows{{"domain", "source", "status", "why", "path or method"}};
  for (const auto& p : node.probes)
    rows.push_back({p.domain, p.source, p.status, p.detail.empty() ? "-" : p.detail,
                    p.path.empty() ? (p.method.empty() ? "-" : p.method) : p.path});
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  std::cout << "node " << node_name(settings) << "\n";
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t c = 0; c < row.size(); ++c)
      line += " " + row[c] + (c + 1 < row.size() ? std::string(widths[c] - row[c].size() + 1, ' ') : "");
    std::cout << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
  }
  for (const auto& w : node.warnings) std::cout << "warning: " << w << "\n";
  return 0;
}

}  // namespace erg::tools
