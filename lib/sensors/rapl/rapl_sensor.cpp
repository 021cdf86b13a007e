#include "sensors/rapl/rapl_sensor.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <vector>

#include "util/text.hpp"

namespace erg {

namespace fs = std::filesystem;

RaplSensor::RaplSensor(std::vector<Zone> zones) : zones_(std::move(zones)) {
  std::map<std::string, std::string> paths;  // domain -> zone paths, comma separated
  for (const auto& zone : zones_) {
    auto& p = paths[zone.domain];
    p += (p.empty() ? "" : ",") + zone.path + "/energy_uj";
  }
  // RAPL counts the whole package and its memory, whoever runs there: on a shared node the
  // job is charged a share of it (aggregator/node_shares.hpp).
  for (const auto& [domain, path] : paths)
    domains_.push_back({domain, "rapl", path, {{DomainInfo::scope_attribute, DomainInfo::node_scope}}, Measurement::counter});
  for (const auto& zone : zones_) {
    auto it = std::find_if(domains_.begin(), domains_.end(),
                           [&](const DomainInfo& d) { return d.name == zone.domain; });
    zone_domain_.push_back(static_cast<size_t>(it - domains_.begin()));
  }
}

void RaplSensor::read(double time_s, std::span<double> energy_j) {
  std::fill(energy_j.begin(), energy_j.end(), 0.0);
  for (size_t i = 0; i < zones_.size(); ++i) {
    auto& zone = zones_[i];
    std::optional<std::uint64_t> raw;
    if (auto text = pread_text(zone.energy_fd.get())) raw = parse_unsigned(*text);
    if (!raw) ++failed_reads_;
    // A missing zone makes its whole domain missing: a partial sum would read as a drop.
    energy_j[zone_domain_[i]] += zone.counter.update(raw, time_s);
  }
}

std::vector<std::string> RaplSensor::notes() const {
  std::vector<std::string> notes;
  if (failed_reads_) notes.push_back(std::to_string(failed_reads_) + " RAPL reads failed: missing samples");
  for (const auto& zone : zones_)
    if (zone.counter.resets())
      notes.push_back(zone.path + ": " + std::to_string(zone.counter.resets()) +
                      " time(s) the counter went back further than a wrap explains; those intervals are missing");
  for (const auto& zone : zones_)
    if (auto note = zone.counter.ambiguity_note(zone.path + "/energy_uj"); !note.empty()) notes.push_back(note);
  return notes;
}

namespace {

struct ZoneDir {
  std::string path;
  std::string control_type;  // intel-rapl or intel-rapl-mmio
  std::string name;          // content of the name file: package-0, core, dram, ...
  std::string identity;      // the name within its parent's name: "package-0/dram"
  bool top_level;
};

std::vector<ZoneDir> list_zones(const std::string& root) {
  static const std::regex zone_pattern(R"((intel-rapl(?:-mmio)?):\d+(:\d+)?)");
  std::vector<ZoneDir> zones;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string base = entry.path().filename().string();
    std::smatch m;
    if (!std::regex_match(base, m, zone_pattern)) continue;
    auto name = read_text_file(entry.path().string() + "/name");
    if (!name) continue;
    std::string identity = trim(*name);
    if (m[2].matched) {  // a subzone: intel-rapl:0:2 lives in intel-rapl:0
      std::string parent = base.substr(0, base.rfind(':'));
      auto parent_name = read_text_file(root + "/" + parent + "/name");
      identity = (parent_name ? trim(*parent_name) : parent) + "/" + identity;
    }
    zones.push_back({entry.path().string(), m[1].str(), trim(*name), identity, !m[2].matched});
  }
  std::sort(zones.begin(), zones.end(), [](const ZoneDir& a, const ZoneDir& b) {
    // intel-rapl (MSR) before intel-rapl-mmio, so that mmio duplicates are the ones dropped
    return std::tie(a.control_type, a.path) < std::tie(b.control_type, b.path);
  });
  return zones;
}

// The zone's highest stated power (constraint_N_max_power_uw; 0 when none is given), which
// bounds how fast its counter can wrap.
double max_power_w(const std::string& zone_path) {
  double max_w = 0;
  for (int n = 0; n < 8; ++n) {
    auto text = read_text_file(zone_path + "/constraint_" + std::to_string(n) + "_max_power_uw");
    if (!text) continue;
    if (auto uw = parse_unsigned(*text)) max_w = std::max(max_w, static_cast<double>(*uw) * 1e-6);
  }
  return max_w;
}

}  // namespace

RaplDiscovery discover_rapl(const std::string& powercap_root, DomainRegistry& domains) {
  RaplDiscovery result;
  std::vector<RaplSensor::Zone> used;
  std::vector<std::string> seen_names;  // identities already counted
  std::set<std::string> claimed;        // domains RAPL holds: several zones add up to one
  for (const auto& zone : list_zones(powercap_root)) {
    std::string energy_path = zone.path + "/energy_uj";
    SensorProbe probe{zone.name, "rapl", energy_path, "used", ""};
    std::string domain;
    if (zone.name.rfind("package", 0) == 0 && zone.top_level) {
      domain = "cpu";
    } else if (zone.name == "dram") {
      domain = "dram";
    } else if (zone.name == "core" || zone.name == "uncore") {
      probe.status = "not counted";
      probe.detail = "inside its package zone";
    } else if (zone.name == "psys") {
      probe.status = "not counted";
      probe.detail = "platform total, contains package and dram";
    } else {
      probe.status = "not counted";
      probe.detail = "unknown zone name";
    }
    // A zone is known by its name within its parent, not by its index or control type:
    // intel-rapl-mmio repeats the package zone of intel-rapl on some Intel platforms.
    if (!domain.empty() &&
        std::find(seen_names.begin(), seen_names.end(), zone.identity) != seen_names.end()) {
      probe.status = "not counted";
      probe.detail = "same zone as in intel-rapl";
      domain.clear();
    }
    if (!domain.empty()) {
      FileDescriptor fd(::open(energy_path.c_str(), O_RDONLY | O_CLOEXEC));
      std::optional<std::string> first = fd.valid() ? pread_text(fd.get()) : std::nullopt;
      if (!fd.valid() || !first) {
        bool denied = errno == EACCES || errno == EPERM;
        result.permission_denied = result.permission_denied || denied;
        probe.status = "unreadable";
        probe.detail = denied ? "permission denied (root-only since Linux 5.10)" : "cannot be read";
        domain.clear();
      } else {
        auto range = read_text_file(zone.path + "/max_energy_range_uj");
        auto range_uj = range ? parse_unsigned(*range) : std::nullopt;
        if (!range_uj || *range_uj == 0) {
          probe.status = "unreadable";
          probe.detail = "no max_energy_range_uj";
          domain.clear();
        } else if (!claimed.count(domain) && !domains.claim(domain, "rapl")) {
          probe.status = "not counted";
          probe.detail = domain + " is measured by " + domains.owner(domain).value_or("another source");
          domain.clear();
        } else {
          claimed.insert(domain);
          seen_names.push_back(zone.identity);
          probe.domain = domain;
          probe.detail = zone.name;
          used.push_back({zone.path, domain, std::move(fd), EnergyCounter(*range_uj + 1, 1e-6, max_power_w(zone.path))});
        }
      }
    }
    result.probes.push_back(std::move(probe));
  }
  if (!used.empty()) result.sensor = std::make_unique<RaplSensor>(std::move(used));
  return result;
}

RaplDiscovery discover_rapl(const std::string& powercap_root) {
  DomainRegistry rapl_alone;
  return discover_rapl(powercap_root, rapl_alone);
}

}  // namespace erg
