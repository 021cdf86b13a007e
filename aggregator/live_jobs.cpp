#include "aggregator/live_jobs.hpp"

#include "spool/spool_reader.hpp"

namespace erg {

LiveJobs::LiveJobs(std::string spool_root, std::string node, const CarbonSettings& carbon)
    : root_(std::move(spool_root)), node_(std::move(node)), spool_name_(node_ + ".spool"), grid_(carbon),
      pue_(carbon.pue) {}

void LiveJobs::start_following(const std::string& job_id) {
  auto dir = spool::JobSpoolDirectory::open(root_, job_id);
  // Only a spool with a header is asked whether it is held: its daemon locked it before
  // writing the header, so the shared lock that the question takes for an instant can never
  // be the one that makes a starting daemon believe its job is already sampled.
  if (!spool::read_spool_header(dir, spool_name_)) return;  // not this node's, or being created
  if (!dir.is_held(spool_name_)) {
    ended_.insert(job_id);
    return;
  }
  LiveJobSpool live(dir, spool_name_, grid_, pue_);
  running_.emplace(job_id, std::make_unique<Job>(Job{std::move(dir), std::move(live)}));
}

void LiveJobs::update() {
  std::vector<std::string> ids;
  try {
    ids = spool::JobSpoolDirectory::job_ids(root_);
  } catch (const std::exception&) {  // no spool yet: no job has run on the node
    ids.clear();
  }
  const std::set<std::string> listed(ids.begin(), ids.end());
  std::erase_if(ended_, [&](const std::string& id) { return !listed.count(id); });
  std::erase_if(running_, [&](const auto& job) { return !listed.count(job.first); });
  for (const auto& id : ids) {
    if (running_.count(id) || ended_.count(id)) continue;
    try {
      start_following(id);
    } catch (const std::exception&) {  // an untrusted folder or file: not a job's
      ended_.insert(id);
    }
  }
  for (auto it = running_.begin(); it != running_.end();) {
    Job& job = *it->second;
    try {
      job.spool.update();
    } catch (const std::exception&) {
    }
    if (job.spool.ended() || !job.dir.is_held(spool_name_)) {
      ended_.insert(it->first);
      it = running_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<metrics::JobReading> LiveJobs::readings() const {
  std::vector<metrics::JobReading> jobs;
  for (const auto& [id, job] : running_)
    if (job->spool.has_header()) jobs.push_back({id, job->spool.user(), node_, job->spool.energy_j(), job->spool.co2e_g()});
  return jobs;
}

}  // namespace erg
