#include "aggregator/job_metadata.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <string_view>

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
                               std::pair{"nodelist", "SLURM_JOB_NODELIST"}}) {
    std::string value = env(variable);
    if (!value.empty()) job.extra[key] = value;
  }
  return job;
}

}  // namespace erg
