#pragma once
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"

namespace erg::tools {

// The Slurm scripts run erg with `2>>LOG`: the site's log, which every job and node shares,
// so each line erg writes there must say when, which job and which node, as the scripts' own
// lines do. When stderr appends to a regular file, this stamps every line written to
// std::cerr, while alive, with "<UTC time> erg <command> job <id> node <name>: ", and writes
// each line with one write(2) so lines of concurrent daemons do not interleave. On a
// terminal or a pipe it does nothing.
class StampedStderr {
 public:
  StampedStderr(const std::string& command, const Arguments& args);
  ~StampedStderr();
  StampedStderr(const StampedStderr&) = delete;
  StampedStderr& operator=(const StampedStderr&) = delete;

  class LineBuffer;  // the streambuf, in the .cpp

 private:
  std::unique_ptr<LineBuffer> buffer_;
  std::streambuf* previous_ = nullptr;
};

}  // namespace erg::tools
