#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

namespace erg::tools {

// Who a node daemon is, as its pid file records it: its pid and the time its process
// started (the kernel's boot-relative start time, field 22 of /proc/<pid>/stat). A pid is
// reused once its process is gone; the pair is not, so `erg agent --stop` never signals
// another process that happens to hold the pid now.
struct DaemonIdentity {
  pid_t pid = 0;
  unsigned long long start_ticks = 0;
};

// This process, as its pid file records it; nullopt when /proc cannot say.
std::optional<DaemonIdentity> own_identity();
std::string pid_file_text(const DaemonIdentity& identity);  // "PID START\n"
std::optional<DaemonIdentity> parse_pid_file(const std::string& text);

// Sends signal to the process only if it is still the one identity names: through a pidfd,
// which holds on to that process, so it cannot be reused between the check and the signal.
// Returns false when it is gone or is another process.
bool signal_if_same(const DaemonIdentity& identity, int signal);

}  // namespace erg::tools
