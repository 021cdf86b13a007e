#pragma once
#include <string>
#include <vector>

namespace erg::tools {

// What a Slurm command said: its exit status (-1: it could not run) and its first 64 KiB of
// standard output.
struct SlurmToolResult {
  int status = -1;
  std::string output;
};

// Runs /usr/bin/<name> with these arguments: no shell, a fixed path (root runs it from the
// slurmctld epilog), stdin and stderr on /dev/null, output bounded, killed (SIGALRM) after
// timeout_s: a slurmdbd that does not answer must not hold the epilog's collect forever.
SlurmToolResult run_slurm_tool(const std::string& name, const std::vector<std::string>& arguments,
                               unsigned timeout_s = 60);

}  // namespace erg::tools
