#include "slurm_tool.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "util/file_descriptor.hpp"

namespace erg::tools {

SlurmToolResult run_slurm_tool(const std::string& name, const std::vector<std::string>& arguments, unsigned timeout_s) {
  SlurmToolResult result;
  const std::string path = "/usr/bin/" + name;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(name.c_str()));
  for (const auto& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return result;
  FileDescriptor reader(pipe_fds[0]), writer(pipe_fds[1]);
  pid_t child = ::fork();
  if (child < 0) return result;
  if (child == 0) {
    ::dup2(writer.get(), STDOUT_FILENO);
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      ::dup2(null_fd, STDIN_FILENO);
      ::dup2(null_fd, STDERR_FILENO);
    }
    ::signal(SIGALRM, SIG_DFL);
    ::alarm(timeout_s);  // kept across exec
    ::execv(path.c_str(), argv.data());
    ::_exit(127);
  }
  writer = FileDescriptor();
  char buffer[4096];
  // Read to the end, keeping 64 KiB: a child blocked on a full pipe would never be reaped.
  for (ssize_t n; (n = ::read(reader.get(), buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (result.output.size() < 65536) result.output.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace erg::tools
