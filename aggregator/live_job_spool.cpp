#include "aggregator/live_job_spool.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "aggregator/node_shares.hpp"

namespace erg {

namespace {

// The index of the last reading of a cumulative series that is not NaN (a failed read).
std::optional<std::size_t> last_reading(const std::vector<double>& series) {
  for (std::size_t i = series.size(); i-- > 0;)
    if (std::isfinite(series[i])) return i;
  return std::nullopt;
}

}  // namespace

LiveJobSpool::LiveJobSpool(const spool::JobSpoolDirectory& dir, const std::string& name) : follower_(dir, name) {}

void LiveJobSpool::update() {
  if (!follower_.poll()) return;
  // The samples back to each domain's last counted reading, then the new ones.
  NodeTrace window = follower_.contents().node;
  if (window.time_s.empty()) return;
  charge_node_share(window);
  for (const auto& d : window.domains) {
    auto last = last_reading(d.energy_j);
    if (!last) continue;
    auto it = std::find_if(counted_.begin(), counted_.end(), [&](const Counted& c) { return c.energy.domain == d.info.name; });
    if (it == counted_.end()) it = counted_.insert(counted_.end(), {{d.info.name, 0.0}, NAN});
    // A counter starts from 0 at the session's first read, and a share from 0 at the
    // window's first reading; later, the window's series is counted from the reading it was
    // last counted at (kept by the follower).
    double from_j = 0;
    if (std::isfinite(it->time_s)) {
      from_j = NAN;
      for (std::size_t i = 0; i <= *last; ++i)
        if (window.time_s[i] == it->time_s && std::isfinite(d.energy_j[i])) from_j = d.energy_j[i];
      if (std::isnan(from_j)) {  // left out by the follower's bound: the window's first reading
        for (std::size_t i = 0; i <= *last && std::isnan(from_j); ++i)
          if (std::isfinite(d.energy_j[i])) from_j = d.energy_j[i];
      }
    }
    it->energy.energy_j += d.energy_j[*last] - from_j;
    it->time_s = window.time_s[*last];
  }
  charged_j_.clear();
  for (const auto& c : counted_) charged_j_.push_back(c.energy);
}

std::string LiveJobSpool::user() const {
  const auto& header = follower_.contents().header;
  if (!header.contains("job") || !header.at("job").is_object()) return "";
  const auto& job = header.at("job");
  return job.contains("user") && job.at("user").is_string() ? job.at("user").get<std::string>().substr(0, 256) : "";
}

}  // namespace erg
