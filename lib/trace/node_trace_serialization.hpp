#pragma once
// Boost.Serialization of node traces, for the MPI gather to rank 0.
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

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

}  // namespace boost::serialization
