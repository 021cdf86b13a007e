#include "sensors/models/slurm_job_processes.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string_view>

#include "util/file_descriptor.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

// Another user's process decides how large these are: root reads no more than this. Slurm's
// variables are set at the start of a job's environment, well within the first 256 KiB.
constexpr size_t max_environ_bytes = 256 * 1024;
constexpr size_t max_cgroup_bytes = 64 * 1024;

// Whether a /proc/<pid>/cgroup text places the process in the job's cgroup (v1 or v2):
// a path component job_<id>, as Slurm's cgroup plugin names it.
// An empty job_id stands for any job: job_ and at least one digit.
bool in_job_cgroup(const std::string& cgroups, const std::string& job_id) {
  const std::string component = "/job_" + job_id;
  for (size_t at = cgroups.find(component); at != std::string::npos; at = cgroups.find(component, at + 1)) {
    size_t after = at + component.size();
    if (job_id.empty()) {
      while (after < cgroups.size() && cgroups[after] >= '0' && cgroups[after] <= '9') ++after;
      if (after == at + component.size()) continue;
    }
    if (after == cgroups.size() || cgroups[after] == '/' || cgroups[after] == '\n') return true;
  }
  return false;
}

}  // namespace

std::function<std::vector<pid_t>()> slurm_job_roots(std::string job_id, std::string node, std::optional<uid_t> job_uid,
                                                    std::string proc_root, double refresh_s) {
  struct Cache {
    double scanned_at_s = -1e300;
    std::vector<pid_t> pids;
  };
  auto cache = std::make_shared<Cache>();
  return [job_id = std::move(job_id), node = std::move(node), job_uid, proc_root = std::move(proc_root), refresh_s,
          cache] {
    double now_s = monotonic_now_s();
    if (now_s - cache->scanned_at_s < refresh_s) return cache->pids;
    cache->scanned_at_s = now_s;
    cache->pids.clear();
    const std::string wanted_job = "SLURM_JOB_ID=" + job_id, node_prefix = "SLURMD_NODENAME=";
    const pid_t self = ::getpid();
    std::vector<pid_t> by_cgroup;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(proc_root.c_str()), closedir);
    if (!dir) return cache->pids;
    while (dirent* entry = readdir(dir.get())) {
      char* end = nullptr;
      long pid = std::strtol(entry->d_name, &end, 10);
      if (*end != '\0' || pid <= 0 || pid == self) continue;
      const std::string process = proc_root + "/" + entry->d_name;
      if (auto cgroups = read_text_file(process + "/cgroup", max_cgroup_bytes); cgroups && in_job_cgroup(*cgroups, job_id)) {
        by_cgroup.push_back(static_cast<pid_t>(pid));
        continue;
      }
      struct stat st {};
      if (job_uid && (::stat(process.c_str(), &st) != 0 || st.st_uid != *job_uid)) continue;
      auto environ = read_text_file(process + "/environ", max_environ_bytes);
      if (!environ) continue;
      bool of_job = false, elsewhere = false;
      for (size_t start = 0; start < environ->size();) {
        size_t stop = environ->find('\0', start);
        if (stop == std::string::npos) stop = environ->size();
        std::string_view entry(environ->data() + start, stop - start);
        if (job_id.empty() ? entry.substr(0, wanted_job.size()) == wanted_job && entry.size() > wanted_job.size()
                           : entry == wanted_job)
          of_job = true;
        if (entry.substr(0, node_prefix.size()) == node_prefix && entry.substr(node_prefix.size()) != node)
          elsewhere = true;  // a process of the job on another node (that shares this machine)
        start = stop + 1;
      }
      if (of_job && !elsewhere) cache->pids.push_back(static_cast<pid_t>(pid));
    }
    if (job_id.empty())  // every job: those in cgroups and those found by their environment
      cache->pids.insert(cache->pids.end(), by_cgroup.begin(), by_cgroup.end());
    else if (!by_cgroup.empty())
      cache->pids = std::move(by_cgroup);
    return cache->pids;
  };
}

}  // namespace erg
