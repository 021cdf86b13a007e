#include "slurm_job_state.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "util/file_descriptor.hpp"
#include "util/monotonic_clock.hpp"
#include "util/text.hpp"

namespace erg::tools {

namespace {

// squeue's word for the job's state, or "" (no shell, a fixed path, bounded output). Only the
// state is asked for: in scontrol's record the job's user writes fields (the job's name, its
// comment) that could hold a forged "JobState=COMPLETED".
std::string squeue_state(const std::string& job_id) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return "";
  FileDescriptor reader(pipe_fds[0]), writer(pipe_fds[1]);
  pid_t child = ::fork();
  if (child < 0) return "";
  if (child == 0) {
    ::dup2(writer.get(), STDOUT_FILENO);
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
    ::execl("/usr/bin/squeue", "squeue", "--noheader", "--jobs", job_id.c_str(), "--states", "all", "--format", "%T",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  writer = FileDescriptor();
  std::string out;
  char buffer[4096];
  // Read to the end, keeping 64 KiB: a child blocked on a full pipe would never be reaped.
  for (ssize_t n; (n = ::read(reader.get(), buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (out.size() < 65536) out.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return out;
}

}  // namespace

std::optional<std::string> final_slurm_job_state(const std::string& job_id, double timeout_s) {
  const double deadline_s = monotonic_now_s() + timeout_s;
  for (;;) {
    std::string state = trim(squeue_state(job_id));
    if (state.empty()) return std::nullopt;
    if (state != "COMPLETING" && state != "RUNNING" && state != "CONFIGURING" && state != "PENDING") return state;
    if (monotonic_now_s() >= deadline_s) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace erg::tools
