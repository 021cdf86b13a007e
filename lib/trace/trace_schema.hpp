#pragma once
// The attributes of the HDF5 trace (docs/trace-format.md, format version 1), listed once.
// The writer and the reader (trace_file.cpp) both walk these lists, as Boost.Serialization's
// archives walk serialize(): an attribute added here is written, read back, checked against
// its range and kept on a rewrite, with no second list to forget.
//
// Each list calls archive(attribute, value) once per attribute, in the order written. The
// value is a member of the record: a reference the reader sets (the record is non-const) or
// the writer reads (const). Derived{...} values are computed from the data: written for
// readers of the file, not read back.
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "trace/job_trace.hpp"
#include "trace/recorded_ranges.hpp"

namespace erg::trace_schema {

enum class Presence {
  required,  // a trace without it is damaged
  optional,  // older or hand-made traces may lack it: the record keeps its default
  derived,   // written from the data (a count, a flag, a total); erg does not read it back
};

inline constexpr NumberRange any_number{-std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};

struct Attribute {
  const char* name;
  Presence presence;
  NumberRange range = any_number;  // what a number read back must be within (text has none)
};

constexpr Attribute required(const char* name, NumberRange range = any_number) {
  return {name, Presence::required, range};
}
constexpr Attribute optional(const char* name, NumberRange range = any_number) {
  return {name, Presence::optional, range};
}
constexpr Attribute derived(const char* name) { return {name, Presence::derived}; }

template <typename T>
struct Derived {
  T value;
};
template <typename T>
Derived(T) -> Derived<T>;

// The file's identity, written first and checked before anything else is read.
inline constexpr const char* format_attribute = "format";
inline constexpr const char* format_version_attribute = "format_version";
// Derived: written from the accounting tables' node count, after the list below.
inline constexpr const char* n_nodes_attribute = "n_nodes";

// "/" attributes. Root attributes named job_<key> that are not listed here are the job's
// JobInfo::extra[key].
template <typename Trace, typename Archive>  // Trace: JobTrace or const JobTrace
void root_attributes(Trace& trace, Archive&& archive) {
  archive(optional("job_id"), trace.job.job_id);
  archive(optional("job_name"), trace.job.job_name);
  archive(optional("user"), trace.job.user);
  archive(optional("start_utc"), trace.job.start_utc);
  archive(optional("end_utc"), trace.job.end_utc);
  archive(required("duration_s", at_least_zero), trace.job.duration_s);
  archive(required("n_ranks", count_range), trace.job.n_ranks);
  archive(required("pue", pue_range), trace.carbon.pue);
  archive(optional("pue_source"), trace.carbon.pue_source);
  archive(required("emission_factor_g_per_kwh", emission_factor_range), trace.carbon.emission_factor_g_per_kwh);
  archive(optional("emission_factor_source"), trace.carbon.emission_factor_source);
  archive(optional("region"), trace.carbon.region);
  archive(optional("intensity_source"), trace.carbon.intensity.source);
  archive(optional("embodied_g_per_node_hour", at_least_zero), trace.carbon.embodied_g_per_node_hour);
  archive(optional("embodied_g_per_gpu_hour", at_least_zero), trace.carbon.embodied_g_per_gpu_hour);
  archive(optional("embodied_source"), trace.carbon.embodied_source);
  archive(required("interval_s", interval_range), trace.interval_s);
  archive(optional("erg_version"), trace.job.erg_version);
  archive(optional("job_state"), trace.job.job_state);
  archive(optional("exit_code", exit_code_range), trace.job.exit_code);
}

// "/nodes/<node>" attributes. A node without a name attribute is named after its group.
template <typename Node, typename Archive>  // Node: NodeTrace or const NodeTrace
void node_attributes(Node& node, Archive&& archive) {
  archive(optional("name"), node.node);
  archive(optional("n_ranks", count_range), node.n_ranks);
  archive(derived("n_samples"), Derived{static_cast<long long>(node.time_s.size())});
  archive(optional("sampler_cpu_s", at_least_zero), node.sampler_cpu_s);
  archive(optional("cpu_tdp_w", at_least_zero), node.cpu_tdp_w);
  archive(optional("logical_cpus", count_range), node.logical_cpus);
  archive(optional("spool_skipped_bytes", byte_count_range), node.spool_skipped_bytes);
  // How the node's counters were charged (docs/accounting.md): "exclusive" (whole) or
  // "shared" (energy_j holds the job's share, node_energy_j what the node measured).
  archive(optional("node_share"), node.share.mode);
  archive(optional("job_cpus", at_least_zero), node.share.job_cpus);
  archive(optional("node_cpus", count_range), node.share.node_cpus);
  archive(optional("idle_power_fraction", fraction_range), node.share.idle_power_fraction);
  archive(optional("allocation_source"), node.share.allocation_source);
  archive(optional("share_rule"), node.share.rule);
}

// "/nodes/<node>/energy_j/<domain>" attributes. Every other attribute of the dataset is one of
// DomainInfo::attributes (what the sensor says of the domain: a GPU's index, name, UUID, ...).
// A trace without measurement was written before it existed: see measurement_without_record.
template <typename Info, typename Archive>  // Info: DomainInfo or const DomainInfo
void domain_attributes(Info& info, Archive&& archive) {
  archive(optional("source"), info.source);
  archive(optional("path"), info.path);
  archive(derived("estimated"), Derived{static_cast<long long>(info.is_estimate())});
  archive(optional("measurement"), info.measurement);
}

// "/summary" attributes: the accounting's totals, for readers without erg. erg recomputes them.
template <typename Summary, typename Archive>
void summary_attributes(Summary& summary, Archive&& archive) {
  archive(derived("it_energy_j"), Derived{summary.it_energy_j});
  archive(derived("facility_energy_j"), Derived{summary.facility_energy_j});
  archive(derived("co2e_g"), Derived{summary.co2e_g});
  archive(derived("sampler_cpu_s"), Derived{summary.sampler_cpu_s});
}

// Defaults of the record before a read: what an optional attribute that is absent leaves.
inline constexpr const char* unknown_source = "unknown";

// How a domain was measured when its trace predates the measurement attribute: only the
// model sensors were estimates then.
Measurement measurement_without_record(const std::string& source);

// The names each list holds: the attributes that are not extra job metadata or domain
// attributes.
const std::set<std::string>& root_attribute_names();
const std::set<std::string>& domain_attribute_names();

// The root attribute name of JobInfo::extra[key], and back (nullopt: not extra metadata).
std::string extra_job_attribute(const std::string& key);
std::optional<std::string> extra_job_key(const std::string& attribute);

}  // namespace erg::trace_schema
