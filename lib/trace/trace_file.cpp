#include "trace/trace_file.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "trace/recorded_ranges.hpp"
#include "trace/hdf5_handle.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace erg {

using hdf5::Handle;

namespace {

// HDF5 group names cannot hold '/'; the node's own name is kept in an attribute.
std::string group_name(const std::string& node) {
  std::string name = node.empty() ? "unnamed" : node;
  for (char& c : name)
    if (c == '/') c = '_';
  return name == "." ? "_" : name;
}

Handle create_group(hid_t parent, const std::string& name) {
  hid_t id = H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error("HDF5: cannot create group " + name);
  return Handle(id, H5Gclose);
}

Handle open_group(hid_t parent, const std::string& name) {
  hid_t id = H5Gopen2(parent, name.c_str(), H5P_DEFAULT);
  if (id < 0) throw std::runtime_error("missing group " + name);
  return Handle(id, H5Gclose);
}

constexpr NumberRange at_least_zero{0, std::numeric_limits<double>::max()};

// A recorded number outside what erg accepts for it would make every figure derived from it
// wrong (a PUE below 1, a negative emission factor): the trace is damaged.
double recorded_number(hid_t object, const std::string& name, NumberRange range) {
  double value = hdf5::read_double_attribute(object, name);
  if (!range.contains(value)) {
    std::ostringstream message;
    message << "attribute " << name << " is " << value << ", not a number ";
    if (range.max < std::numeric_limits<double>::max()) message << "between " << range.min << " and " << range.max;
    else message << "of at least " << range.min;
    throw std::runtime_error(message.str());
  }
  return value;
}

struct PhaseRow {
  const char* name;
  const char* kind;
  double start_s;
  double end_s;
  unsigned long long items;
};

struct MetricRow {
  const char* name;
  double value;
  int higher_is_better;
};

Handle phase_row_type() {
  auto str = hdf5::utf8_string_type();
  Handle type(H5Tcreate(H5T_COMPOUND, sizeof(PhaseRow)), H5Tclose);
  H5Tinsert(type.get(), "name", HOFFSET(PhaseRow, name), str.get());
  H5Tinsert(type.get(), "kind", HOFFSET(PhaseRow, kind), str.get());
  H5Tinsert(type.get(), "start_s", HOFFSET(PhaseRow, start_s), H5T_NATIVE_DOUBLE);
  H5Tinsert(type.get(), "end_s", HOFFSET(PhaseRow, end_s), H5T_NATIVE_DOUBLE);
  H5Tinsert(type.get(), "items", HOFFSET(PhaseRow, items), H5T_NATIVE_ULLONG);
  return type;
}

Handle metric_row_type() {
  auto str = hdf5::utf8_string_type();
  Handle type(H5Tcreate(H5T_COMPOUND, sizeof(MetricRow)), H5Tclose);
  H5Tinsert(type.get(), "name", HOFFSET(MetricRow, name), str.get());
  H5Tinsert(type.get(), "value", HOFFSET(MetricRow, value), H5T_NATIVE_DOUBLE);
  H5Tinsert(type.get(), "higher_is_better", HOFFSET(MetricRow, higher_is_better), H5T_NATIVE_INT);
  return type;
}

template <typename Row>
void write_table(hid_t parent, const std::string& name, hid_t type, const std::vector<Row>& rows) {
  hsize_t dims[1] = {rows.size()};
  Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  Handle dataset(H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose);
  if (!dataset.valid()) throw std::runtime_error("HDF5: cannot create dataset " + name);
  if (!rows.empty() && H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw std::runtime_error("HDF5: cannot write dataset " + name);
}

// Reads a compound table; vlen strings are copied out and the library's memory reclaimed.
template <typename Row, typename Convert>
void read_table(hid_t parent, const std::string& name, hid_t type, Convert convert) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) return;
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) throw std::runtime_error("cannot open " + name);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  // A table of another shape would be read past the rows allocated for it.
  const hsize_t n = hdf5::stored_length(dataset.get(), name, 1);
  std::vector<Row> rows(n);
  if (n == 0) return;
  if (H5Dread(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw std::runtime_error("cannot read " + name);
  for (const auto& row : rows) convert(row);
  H5Dvlen_reclaim(type, space.get(), H5P_DEFAULT, rows.data());
}

void write_node(hid_t nodes_group, const NodeTrace& node) {
  auto group = create_group(nodes_group, group_name(node.node));
  hdf5::write_attribute(group.get(), "name", node.node);
  hdf5::write_attribute(group.get(), "n_ranks", static_cast<long long>(node.n_ranks));
  hdf5::write_attribute(group.get(), "n_samples", static_cast<long long>(node.time_s.size()));
  hdf5::write_attribute(group.get(), "sampler_cpu_s", node.sampler_cpu_s);
  hdf5::write_attribute(group.get(), "cpu_tdp_w", node.cpu_tdp_w);
  hdf5::write_attribute(group.get(), "logical_cpus", static_cast<long long>(node.logical_cpus));
  hdf5::write_attribute(group.get(), "spool_skipped_bytes", static_cast<long long>(node.spool_skipped_bytes));
  hdf5::write_doubles(group.get(), "time_s", node.time_s);
  auto energy = create_group(group.get(), "energy_j");
  for (const auto& domain : node.domains) {
    hdf5::write_doubles(energy.get(), domain.info.name, domain.energy_j);
    Handle dataset(H5Dopen2(energy.get(), domain.info.name.c_str(), H5P_DEFAULT), H5Dclose);
    hdf5::write_attribute(dataset.get(), "source", domain.info.source);
    hdf5::write_attribute(dataset.get(), "path", domain.info.path);
    hdf5::write_attribute(dataset.get(), "estimated", static_cast<long long>(domain.info.is_estimate()));
    hdf5::write_attribute(dataset.get(), "measurement", std::string(measurement_name(domain.info.measurement)));
    for (const auto& [key, value] : domain.info.attributes) hdf5::write_attribute(dataset.get(), key, value);
  }
  hdf5::write_strings(group.get(), "notes", node.notes);
}

// The whole file, built in memory (HDF5's core driver): the disk is written by
// write_file_atomically alone, because HDF5 1.10 cannot recover from a full disk inside
// H5Fcreate (it leaves the file half open and loops at exit).
std::string trace_image(const JobTrace& trace, const TraceSummary& summary, const std::string& path) {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  constexpr size_t growth_bytes = 4 << 20;
  if (!access.valid() || H5Pset_fapl_core(access.get(), growth_bytes, 0) < 0)
    throw std::runtime_error("HDF5: cannot set up an in-memory file");
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose);
  if (!file.valid()) throw std::runtime_error("HDF5: cannot create an in-memory file for " + path);
  hid_t root = file.get();
  using hdf5::write_attribute;
  write_attribute(root, "format", std::string(trace_format_name));
  write_attribute(root, "format_version", trace_format_version);
  write_attribute(root, "job_id", trace.job.job_id);
  write_attribute(root, "job_name", trace.job.job_name);
  write_attribute(root, "user", trace.job.user);
  write_attribute(root, "start_utc", trace.job.start_utc);
  write_attribute(root, "end_utc", trace.job.end_utc);
  write_attribute(root, "duration_s", trace.job.duration_s);
  write_attribute(root, "n_nodes", static_cast<long long>(trace.nodes.size()));
  write_attribute(root, "n_ranks", static_cast<long long>(trace.job.n_ranks));
  write_attribute(root, "pue", trace.carbon.pue);
  write_attribute(root, "pue_source", trace.carbon.pue_source);
  write_attribute(root, "emission_factor_g_per_kwh", trace.carbon.emission_factor_g_per_kwh);
  write_attribute(root, "emission_factor_source", trace.carbon.emission_factor_source);
  write_attribute(root, "region", trace.carbon.region);
  write_attribute(root, "interval_s", trace.interval_s);
  write_attribute(root, "erg_version", trace.job.erg_version);
  for (const auto& [key, value] : trace.job.extra) write_attribute(root, "job_" + key, value);

  auto nodes = create_group(root, "nodes");
  for (const auto& node : trace.nodes) write_node(nodes.get(), node);

  std::vector<PhaseRow> phases;
  for (const auto& p : trace.phases) phases.push_back({p.name.c_str(), p.kind.c_str(), p.start_s, p.end_s, p.items});
  write_table(root, "phases", phase_row_type().get(), phases);
  std::vector<MetricRow> metrics;
  for (const auto& m : trace.metrics) metrics.push_back({m.name.c_str(), m.value, m.higher_is_better ? 1 : 0});
  write_table(root, "metrics", metric_row_type().get(), metrics);
  hdf5::write_strings(root, "notes", trace.notes);

  auto summary_group = create_group(root, "summary");
  write_attribute(summary_group.get(), "it_energy_j", summary.it_energy_j);
  write_attribute(summary_group.get(), "facility_energy_j", summary.facility_energy_j);
  write_attribute(summary_group.get(), "co2e_g", summary.co2e_g);
  write_attribute(summary_group.get(), "sampler_cpu_s", summary.sampler_cpu_s);
  if (H5Fflush(root, H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("HDF5: cannot complete " + path);
  ssize_t size = H5Fget_file_image(root, nullptr, 0);
  if (size < 0) throw std::runtime_error("HDF5: cannot read back " + path);
  std::string image(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(root, image.data(), image.size()) != size) throw std::runtime_error("HDF5: cannot read back " + path);
  return image;
}

NodeTrace read_node(hid_t nodes_group, const std::string& group_name_) {
  auto group = open_group(nodes_group, group_name_);
  NodeTrace node;
  node.node = hdf5::has_attribute(group.get(), "name") ? hdf5::read_string_attribute(group.get(), "name")
                                                       : group_name_;
  if (hdf5::has_attribute(group.get(), "n_ranks"))
    node.n_ranks = static_cast<int>(hdf5::read_integer_attribute(group.get(), "n_ranks"));
  if (hdf5::has_attribute(group.get(), "sampler_cpu_s"))
    node.sampler_cpu_s = recorded_number(group.get(), "sampler_cpu_s", at_least_zero);
  if (hdf5::has_attribute(group.get(), "cpu_tdp_w"))
    node.cpu_tdp_w = recorded_number(group.get(), "cpu_tdp_w", at_least_zero);
  if (hdf5::has_attribute(group.get(), "logical_cpus"))
    node.logical_cpus = static_cast<int>(hdf5::read_integer_attribute(group.get(), "logical_cpus"));
  if (hdf5::has_attribute(group.get(), "spool_skipped_bytes"))
    node.spool_skipped_bytes =
        static_cast<std::uint64_t>(hdf5::read_integer_attribute(group.get(), "spool_skipped_bytes"));
  node.time_s = hdf5::read_doubles(group.get(), "time_s");
  // The accounting takes differences at phase bounds: its clock must be a clock.
  for (size_t i = 0; i < node.time_s.size(); ++i)
    if (!std::isfinite(node.time_s[i]) || (i > 0 && node.time_s[i] < node.time_s[i - 1]))
      throw std::runtime_error("node " + node.node + ": time_s is not finite and non-decreasing at sample " +
                               std::to_string(i));
  auto energy = open_group(group.get(), "energy_j");
  for (const auto& name : hdf5::child_names(energy.get())) {
    DomainSeries series;
    series.info.name = name;
    series.energy_j = hdf5::read_doubles(energy.get(), name);
    if (series.energy_j.size() != node.time_s.size())
      throw std::runtime_error("node " + node.node + ": energy_j/" + name + " and time_s differ in length");
    Handle dataset(H5Dopen2(energy.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    series.info.source = hdf5::has_attribute(dataset.get(), "source")
                             ? hdf5::read_string_attribute(dataset.get(), "source") : "unknown";
    if (hdf5::has_attribute(dataset.get(), "path"))
      series.info.path = hdf5::read_string_attribute(dataset.get(), "path");
    series.info.measurement = series.info.source == "model" ? Measurement::model : Measurement::counter;
    if (hdf5::has_attribute(dataset.get(), "measurement"))
      series.info.measurement = parse_measurement(hdf5::read_string_attribute(dataset.get(), "measurement"));
    for (const char* key : {"gpu_index", "gpu_name", "gpu_uuid", "method"})
      if (hdf5::has_attribute(dataset.get(), key))
        series.info.attributes[key] = hdf5::read_string_attribute(dataset.get(), key);
    node.domains.push_back(std::move(series));
  }
  if (H5Lexists(group.get(), "notes", H5P_DEFAULT) > 0) node.notes = hdf5::read_strings(group.get(), "notes");
  return node;
}

std::string optional_string(hid_t object, const std::string& name) {
  return hdf5::has_attribute(object, name) ? hdf5::read_string_attribute(object, name) : "";
}

}  // namespace

void write_trace_file(const JobTrace& trace, const TraceSummary& summary, const std::string& path,
                      const std::optional<FileOwnership>& ownership) {
  hdf5::QuietErrors quiet;
  write_file_atomically(path, trace_image(trace, summary, path), ownership);
}

JobTrace read_trace_file(const std::string& path) {
  hdf5::QuietErrors quiet;
  if (::access(path.c_str(), R_OK) != 0) throw UsageError(path + ": " + std::strerror(errno));
  if (std::filesystem::is_directory(path)) throw UsageError(path + ": is a directory, not an erg trace");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw UsageError(path + ": not an HDF5 file, so not an erg trace");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw UsageError(path + ": cannot be opened as HDF5 (truncated or damaged?)");
  hid_t root = file.get();
  try {
    if (!hdf5::has_attribute(root, "format") || hdf5::read_string_attribute(root, "format") != trace_format_name)
      throw UsageError(path + ": not an erg trace (no format = \"erg-trace\" attribute)");
    long long version = hdf5::read_integer_attribute(root, "format_version");
    if (version != trace_format_version)
      throw UsageError(path + ": erg trace format_version " + std::to_string(version) + " is not supported (expected " +
                       std::to_string(trace_format_version) + ")");
    JobTrace trace;
    trace.job.job_id = optional_string(root, "job_id");
    trace.job.job_name = optional_string(root, "job_name");
    trace.job.user = optional_string(root, "user");
    trace.job.start_utc = optional_string(root, "start_utc");
    trace.job.end_utc = optional_string(root, "end_utc");
    trace.job.erg_version = optional_string(root, "erg_version");
    trace.job.duration_s = recorded_number(root, "duration_s", at_least_zero);
    long long n_ranks = hdf5::read_integer_attribute(root, "n_ranks");
    if (n_ranks < 0 || n_ranks > std::numeric_limits<int>::max())
      throw std::runtime_error("attribute n_ranks is " + std::to_string(n_ranks) + ", not a number of ranks");
    trace.job.n_ranks = static_cast<int>(n_ranks);
    trace.carbon.pue = recorded_number(root, "pue", pue_range);
    trace.carbon.pue_source = optional_string(root, "pue_source");
    trace.carbon.emission_factor_g_per_kwh =
        recorded_number(root, "emission_factor_g_per_kwh", emission_factor_range);
    trace.carbon.emission_factor_source = optional_string(root, "emission_factor_source");
    trace.carbon.region = optional_string(root, "region");
    trace.interval_s = recorded_number(root, "interval_s", interval_range);
    H5Aiterate2(
        root, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t object, const char* name, const H5A_info_t*, void* data) -> herr_t {
          std::string key = name;
          if (key.rfind("job_", 0) != 0 || key == "job_id" || key == "job_name") return 0;
          try {  // no exception may cross HDF5's C frames
            static_cast<JobTrace*>(data)->job.extra[key.substr(4)] = hdf5::read_string_attribute(object, name);
          } catch (const std::exception&) {
          }
          return 0;
        },
        &trace);

    auto nodes = open_group(root, "nodes");
    for (const auto& name : hdf5::child_names(nodes.get())) trace.nodes.push_back(read_node(nodes.get(), name));

    auto phase_type = phase_row_type();
    read_table<PhaseRow>(root, "phases", phase_type.get(), [&](const PhaseRow& r) {
      trace.phases.push_back({r.name ? r.name : "", r.kind ? r.kind : "", r.start_s, r.end_s, r.items});
    });
    for (const auto& p : trace.phases)  // a phase is an interval of the job's clock
      if (!std::isfinite(p.start_s) || !std::isfinite(p.end_s) || p.end_s < p.start_s)
        throw std::runtime_error("phase '" + p.name + "' does not run from a finite start_s to a later end_s");
    auto metric_type = metric_row_type();
    read_table<MetricRow>(root, "metrics", metric_type.get(), [&](const MetricRow& r) {
      trace.metrics.push_back({r.name ? r.name : "", r.value, r.higher_is_better != 0});
    });
    if (H5Lexists(root, "notes", H5P_DEFAULT) > 0) trace.notes = hdf5::read_strings(root, "notes");
    return trace;
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError(path + ": damaged erg trace: " + e.what());
  }
}

}  // namespace erg
