#include "spool/spool_header.hpp"

#include <unistd.h>

namespace erg::spool {

nlohmann::json spool_header(const NodeTrace& node, const JobInfo& job, double start_unix_s, double interval_s) {
  nlohmann::json header = {{"format", "erg-spool"},
                           {"format_version", 1},
                           {"node", node.node},
                           {"job_id", job.job_id},
                           {"start_unix_s", start_unix_s},
                           {"interval_s", interval_s},
                           {"cpu_tdp_w", node.cpu_tdp_w},
                           {"logical_cpus", node.logical_cpus},
                           {"erg_version", ERG_VERSION},
                           {"pid", ::getpid()},
                           {"job", {{"name", job.job_name}, {"user", job.user}, {"extra", job.extra}}},
                           {"notes", node.notes}};
  if (node.share.is_shared())
    header["share"] = {{"mode", node.share.mode},
                       {"job_cpus", node.share.job_cpus},
                       {"node_cpus", node.share.node_cpus},
                       {"idle_power_fraction", node.share.idle_power_fraction},
                       {"allocation_source", node.share.allocation_source}};
  header["domains"] = nlohmann::json::array();
  for (const auto& d : node.domains)
    header["domains"].push_back({{"name", d.info.name}, {"source", d.info.source}, {"path", d.info.path},
                                 {"attributes", d.info.attributes},
                                 {"measurement", measurement_name(d.info.measurement)}});
  return header;
}

}  // namespace erg::spool
