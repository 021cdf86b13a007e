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

LiveJobSpool::LiveJobSpool(const spool::JobSpoolDirectory& dir, const std::string& name, const GridCarbon& grid,
                           double pue)
    : follower_(dir, name), grid_(grid), pue_(pue) {}

void LiveJobSpool::update() {
  if (!follower_.poll()) return;
  // The samples back to each domain's last counted reading, then the new ones.
  NodeTrace window = follower_.contents().node;
  if (window.time_s.empty()) return;
  // A header without a numeric start (a hand-made spool) prices at the emission factor: NaN
  // times cover no step of the series. value() would throw on a string, on every refresh.
  const auto& header = follower_.contents().header;
  const auto start = header.find("start_unix_s");
  const double start_unix_s = start != header.end() && start->is_number() ? start->get<double>() : NAN;
  charge_node_share(window);
  for (const auto& d : window.domains) {
    auto last = last_reading(d.energy_j);
    if (!last) continue;
    auto it = std::find_if(counted_.begin(), counted_.end(), [&](const Counted& c) { return c.energy.domain == d.info.name; });
    if (it == counted_.end()) it = counted_.insert(counted_.end(), {{d.info.name, 0.0}, NAN});
    // A counter starts from 0 at the session's first read, and a share from 0 at the
    // window's first reading; later, the window's series is counted from the reading it was
    // last counted at (kept by the follower), or, where the follower's bound left that out,
    // from the window's first reading.
    const bool counted = std::isfinite(it->time_s);
    std::optional<std::size_t> from;
    for (std::size_t i = 0; counted && i <= *last; ++i)
      if (std::isfinite(d.energy_j[i]) && window.time_s[i] == it->time_s) from = i;
    for (std::size_t i = 0; !from && i <= *last; ++i)
      if (std::isfinite(d.energy_j[i])) from = i;
    // CO2e interval by interval, at the grid's intensity then, as the job's report will.
    double before_j = counted ? d.energy_j[*from] : 0.0;
    double before_s = window.time_s[*from];
    for (std::size_t i = *from; i <= *last; ++i) {
      if (!std::isfinite(d.energy_j[i])) continue;
      double uncovered_j = 0;
      co2e_g_ += grid_.co2e_g((d.energy_j[i] - before_j) * pue_, start_unix_s + before_s, start_unix_s + window.time_s[i],
                              uncovered_j);
      it->energy.energy_j += d.energy_j[i] - before_j;
      before_j = d.energy_j[i];
      before_s = window.time_s[i];
    }
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
