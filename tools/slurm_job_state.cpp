#include "slurm_job_state.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "util/file_descriptor.hpp"
#include "util/monotonic_clock.hpp"

namespace erg::tools {

namespace {

// scontrol's one-line record of the job, or "" (no shell, a fixed path, bounded output).
std::string scontrol_show_job(const std::string& job_id) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return "";
  FileDescriptor reader(pipe_fds[0]), writer(pipe_fds[1]);
  pid_t child = ::fork();
  if (child < 0) return "";
  if (child == 0) {
    ::dup2(writer.get(), STDOUT_FILENO);
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
    ::execl("/usr/bin/scontrol", "scontrol", "show", "job", job_id.c_str(), "-o", static_cast<char*>(nullptr));
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

std::string field(const std::string& record, const std::string& name) {
  const std::string key = " " + name + "=";
  auto at = (" " + record).find(key);
  if (at == std::string::npos) return "";
  auto start = at + key.size() - 1;
  auto end = record.find_first_of(" \n", start);
  return record.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

std::optional<std::string> final_slurm_job_state(const std::string& job_id, double timeout_s) {
  const double deadline_s = monotonic_now_s() + timeout_s;
  for (;;) {
    std::string state = field(scontrol_show_job(job_id), "JobState");
    if (state.empty()) return std::nullopt;
    if (state != "COMPLETING" && state != "RUNNING" && state != "CONFIGURING" && state != "PENDING") return state;
    if (monotonic_now_s() >= deadline_s) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace erg::tools
