#include "daemon_identity.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <sstream>

#include "util/file_descriptor.hpp"

namespace erg::tools {

namespace {

std::optional<unsigned long long> start_ticks_of(pid_t pid) {
  auto stat = read_text_file("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return std::nullopt;
  // The command name, field 2, is in parentheses and may hold spaces: count after its end.
  auto close = stat->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat->substr(close + 2));
  std::string field;
  for (int k = 3; k <= 22 && fields >> field; ++k)
    if (k == 22) return std::strtoull(field.c_str(), nullptr, 10);
  return std::nullopt;
}

}  // namespace

std::optional<DaemonIdentity> own_identity() {
  auto ticks = start_ticks_of(::getpid());
  if (!ticks) return std::nullopt;
  return DaemonIdentity{::getpid(), *ticks};
}

std::string pid_file_text(const DaemonIdentity& identity) {
  return std::to_string(identity.pid) + " " + std::to_string(identity.start_ticks) + "\n";
}

std::optional<DaemonIdentity> parse_pid_file(const std::string& text) {
  std::istringstream in(text);
  long long pid = 0;
  unsigned long long ticks = 0;
  if (!(in >> pid >> ticks) || pid <= 1 || pid > 1 << 30) return std::nullopt;
  return DaemonIdentity{static_cast<pid_t>(pid), ticks};
}

bool signal_if_same(const DaemonIdentity& identity, int signal) {
  FileDescriptor pidfd(static_cast<int>(::syscall(SYS_pidfd_open, identity.pid, 0)));
  if (!pidfd.valid()) return false;  // gone
  auto ticks = start_ticks_of(identity.pid);
  if (!ticks || *ticks != identity.start_ticks) return false;  // the pid names another process now
  return ::syscall(SYS_pidfd_send_signal, pidfd.get(), signal, nullptr, 0) == 0;
}

}  // namespace erg::tools
