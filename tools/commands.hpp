#pragma once
#include <string>
#include <vector>

namespace erg::tools {

using Arguments = std::vector<std::string>;  // the arguments after the command's name

int command_sensors(const Arguments& args);
int command_run(const Arguments& args);
int command_report(const Arguments& args);
int command_regions(const Arguments& args);
int command_estimate(const Arguments& args);
int command_label(const Arguments& args);
int command_agent(const Arguments& args);
int command_collect(const Arguments& args);
int command_ledger(const Arguments& args);
int command_exporter(const Arguments& args);

}  // namespace erg::tools
