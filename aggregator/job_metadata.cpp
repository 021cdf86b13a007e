#include "aggregator/job_metadata.hpp"

#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "util/errors.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

// The job's user may set any of these to any bytes: bounded, and valid UTF-8.
std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? valid_utf8(std::string_view(value).substr(0, 1024)) : "";
}

}  // namespace

std::string utc_iso8601(std::chrono::system_clock::time_point start, double plus_s) {
  using namespace std::chrono;
  return utc_iso8601(start + duration_cast<system_clock::duration>(duration<double>(plus_s)));
}

std::string utc_iso8601(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char full[48];
  std::snprintf(full, sizeof full, "%s.%03dZ", buffer, static_cast<int>(ms % 1000));
  return full;
}

JobInfo job_info_from_environment() {
  JobInfo job;
  job.erg_version = ERG_VERSION;
  job.job_id = env("SLURM_JOB_ID");
  if (job.job_id.empty()) job.job_id = "local-" + std::to_string(::getpid());
  job.job_name = env("SLURM_JOB_NAME");
  job.user = env("SLURM_JOB_USER");
  if (job.user.empty()) {
    passwd pw{}, *found = nullptr;
    char buffer[1024];
    if (getpwuid_r(getuid(), &pw, buffer, sizeof buffer, &found) == 0 && found) job.user = found->pw_name;
  }
  for (auto [key, variable] : {std::pair{"account", "SLURM_JOB_ACCOUNT"}, std::pair{"partition", "SLURM_JOB_PARTITION"},
                               std::pair{"nodelist", "SLURM_JOB_NODELIST"}, std::pair{"cluster", "SLURM_CLUSTER_NAME"}}) {
    std::string value = env(variable);
    if (!value.empty() && value != "(null)") job.extra[key] = value;  // Slurm's word for none
  }
  return job;
}

namespace {

void set_end(JobInfo& job, int code, int signal) {
  if (signal != 0) {
    bool stopped = signal == SIGINT || signal == SIGTERM || signal == SIGKILL || signal == SIGHUP;
    job.job_state = stopped ? "cancelled" : "failed";
    job.exit_code = 128 + signal;
  } else {
    job.job_state = code == 0 ? "completed" : "failed";
    job.exit_code = code;
  }
}

}  // namespace

void set_job_end(JobInfo& job, int wait_status) {
  if (WIFSIGNALED(wait_status)) set_end(job, 0, WTERMSIG(wait_status));
  else if (WIFEXITED(wait_status)) set_end(job, WEXITSTATUS(wait_status), 0);
}

void set_job_end_from_slurm(JobInfo& job) {
  const char* text = std::getenv("SLURM_JOB_EXIT_CODE2");
  int code = 0, signal = 0;
  if (text && std::sscanf(text, "%d:%d", &code, &signal) == 2 && code >= 0 && code < 256 && signal >= 0 && signal < 128)
    set_end(job, code, signal);
}

std::string job_state_from(const std::string& text) {
  static const std::pair<const char*, const char*> states[] = {
      {"completed", "completed"}, {"failed", "failed"},       {"cancelled", "cancelled"},
      {"timeout", "timeout"},     {"unknown", "unknown"},     {"COMPLETED", "completed"},
      {"FAILED", "failed"},       {"NODE_FAIL", "failed"},    {"OUT_OF_MEMORY", "failed"},
      {"BOOT_FAIL", "failed"},    {"CANCELLED", "cancelled"}, {"PREEMPTED", "cancelled"},
      {"TIMEOUT", "timeout"},     {"DEADLINE", "timeout"}};
  for (const auto& [given, state] : states)
    if (text == given) return state;
  throw UsageError("job state '" + valid_utf8(text.substr(0, 64)) +
                   "' is not completed|failed|cancelled|timeout|unknown or a Slurm JobState");
}

std::string job_state_from_or_unknown(const std::string& text) {
  try {
    return job_state_from(text);
  } catch (const UsageError&) {
    return "unknown";
  }
}

}  // namespace erg
