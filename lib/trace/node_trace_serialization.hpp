#pragma once
// Boost.Serialization of what node leaders and rank 0 send each other at finalize: node
// summaries, phases (and node traces, for the spool-less tests of the format).
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "trace/job_trace.hpp"
#include "trace/node_summary.hpp"
#include "trace/node_trace.hpp"

namespace boost::serialization {

template <class Archive>
void serialize(Archive& ar, erg::DomainInfo& d, unsigned) {
  ar & d.name & d.source & d.path & d.attributes & d.measurement;
}

template <class Archive>
void serialize(Archive& ar, erg::DomainSeries& s, unsigned) {
  ar & s.info & s.energy_j;
}

template <class Archive>
void serialize(Archive& ar, erg::NodeShare& s, unsigned) {
  ar & s.mode & s.job_cpus & s.node_cpus & s.idle_power_fraction & s.allocation_source & s.rule;
}

template <class Archive>
void serialize(Archive& ar, erg::NodeTrace& t, unsigned) {
  ar & t.node & t.n_ranks & t.time_s & t.domains & t.sampler_cpu_s & t.cpu_tdp_w & t.logical_cpus & t.spool_skipped_bytes & t.notes;
  ar & t.share & t.node_domains & t.job_cpu_s & t.node_busy_cpu_s & t.jobs_cpu_s;
}

template <class Archive>
void serialize(Archive& ar, erg::DomainSummary& d, unsigned) {
  ar & d.info & d.has_samples & d.first_s & d.last_s & d.energy_j & d.co2e_g & d.uncovered_facility_j & d.phase_energy_j &
      d.phase_co2e_g & d.outside_energy_j & d.outside_co2e_g & d.node_energy_j & d.split;
}

template <class Archive>
void serialize(Archive& ar, erg::NodeSummary& n, unsigned) {
  ar & n.node & n.n_ranks & n.sampler_cpu_s & n.cpu_tdp_w & n.logical_cpus & n.spool_skipped_bytes & n.share & n.notes &
      n.n_samples & n.first_s & n.last_s & n.domains & n.node_file;
}

template <class Archive>
void serialize(Archive& ar, erg::Phase& p, unsigned) {
  ar & p.name & p.kind & p.start_s & p.end_s & p.items;
}

template <class Archive>
void serialize(Archive& ar, erg::GridIntensity& g, unsigned) {
  ar & g.start_unix_s & g.end_unix_s & g.g_per_kwh & g.source;
}

template <class Archive>
void serialize(Archive& ar, erg::CarbonSettings& c, unsigned) {
  ar & c.pue & c.pue_source & c.emission_factor_g_per_kwh & c.emission_factor_source & c.region & c.intensity &
      c.embodied_g_per_node_hour & c.embodied_g_per_gpu_hour & c.embodied_source;
}

}  // namespace boost::serialization
