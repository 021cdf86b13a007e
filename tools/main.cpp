// erg: the command line of the energy and carbon accountant (docs/cli.md).

#include <cstring>
#include <iostream>
#include <map>

#include "command_line.hpp"
#include "commands.hpp"
#include "stamped_stderr.hpp"
#include "config/settings.hpp"
#include "util/errors.hpp"

namespace {

constexpr const char* usage =
    "usage: erg COMMAND [OPTIONS]\n"
    "  sensors [--format text|json]              what this node can measure\n"
    "  run [OPTIONS] -- COMMAND [ARGS...]        account one command on this node\n"
    "  report TRACE.h5 [--format text|md|json|html] [-o FILE]  report on a trace\n"
    "  regions [SEARCH]                          known grid regions and their emission factors\n"
    "  estimate [OPTIONS]                        energy and CO2e without a trace\n"
    "  label [JOBS...|--metrics CSV] --reference NAME [--format text|json|svg]  A-E efficiency labels\n"
    "  agent --job ID --spool DIR                node daemon (Slurm prolog)\n"
    "  collect --job ID --spool DIR [-o TRACE]   merge a job's node spools into its trace\n"
    "  ledger add TRACE... | ledger report [--by user|account|partition|day|month|job]  the site's ledger of jobs\n"
    "  exporter [--listen HOST:PORT] [--spool DIR]  Prometheus /metrics of the node and its running jobs\n"
    "erg COMMAND --help shows a command's options.";

}  // namespace

int main(int argc, char** argv) {
  using namespace erg::tools;
  const std::map<std::string, int (*)(const Arguments&)> commands = {
      {"sensors", command_sensors}, {"run", command_run}, {"report", command_report}, {"regions", command_regions},
      {"estimate", command_estimate}, {"label", command_label},
      {"agent", command_agent}, {"collect", command_collect}, {"ledger", command_ledger},
      {"exporter", command_exporter}};
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << usage << "\n";
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "erg " << ERG_VERSION << "\n";
    return 0;
  }
  auto command = commands.find(argv[1]);
  if (command == commands.end()) {
    std::cerr << "erg: unknown command '" << printable_line(argv[1], 100) << "' (erg --help lists them)\n";
    return 2;
  }
  const Arguments args(argv + 2, argv + argc);
  StampedStderr stamped(argv[1], args);  // outlives the handlers below, so errors are stamped too
  try {
    return command->second(args);
  } catch (const erg::UsageError& e) {
    std::cerr << "erg " << argv[1] << ": " << printable_line(e.what()) << "\n";
    return 2;
  } catch (const boost::program_options::error& e) {
    std::cerr << "erg " << argv[1] << ": " << printable_line(erg::describe_option_error(e)) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "erg " << argv[1] << ": " << printable_line(e.what()) << "\n";
    return 1;
  }
}
