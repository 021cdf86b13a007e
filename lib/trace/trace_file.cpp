#include "trace/trace_file.hpp"

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>

#include "trace/cumulative_energy.hpp"
#include "trace/accounting_tables.hpp"
#include "trace/hdf5_handle.hpp"
#include "trace/hdf5_table.hpp"
#include "trace/node_files.hpp"
#include "trace/read_budget.hpp"
#include "trace/trace_attributes.hpp"
#include "trace/trace_schema.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace erg {

using hdf5::Handle;
using hdf5::read_table;
using hdf5::write_table;
using trace_schema::AttributeReader;
using trace_schema::AttributeWriter;

namespace {

Handle create_group(hid_t parent, const std::string& name) {
  hid_t id = H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error("HDF5: cannot create group " + name);
  return Handle(id, H5Gclose);
}

Handle open_group(hid_t parent, const std::string& name) {
  if (!hdf5::is_hard_link(parent, name)) throw std::runtime_error("missing group " + name + ", or one held in another file");
  hid_t id = H5Gopen2(parent, name.c_str(), H5P_DEFAULT);
  if (id < 0) throw std::runtime_error("missing group " + name);
  return Handle(id, H5Gclose);
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

void write_domains(hid_t node_group, const char* name, const std::vector<DomainSeries>& domains) {
  auto energy = create_group(node_group, name);
  for (const auto& domain : domains) {
    hdf5::write_doubles(energy.get(), domain.info.name, domain.energy_j);
    Handle dataset(H5Dopen2(energy.get(), domain.info.name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) throw std::runtime_error("HDF5: cannot reopen dataset " + domain.info.name);
    trace_schema::domain_attributes(domain.info, AttributeWriter(dataset.get()));
    // What the sensor says of the domain, except a key that would overwrite the format's own.
    for (const auto& [key, value] : domain.info.attributes)
      if (!trace_schema::domain_attribute_names().contains(key)) hdf5::write_attribute(dataset.get(), key, value);
  }
}

void write_node(hid_t nodes_group, const NodeTrace& node) {
  auto group = create_group(nodes_group, node_group_name(node.node));
  trace_schema::node_attributes(node, AttributeWriter(group.get()));
  hdf5::write_doubles(group.get(), "time_s", node.time_s);
  write_domains(group.get(), "energy_j", node.domains);
  if (node.share.is_shared()) {  // what the node measured, and the split's inputs
    write_domains(group.get(), "node_energy_j", node.node_domains);
    auto cpu_time = create_group(group.get(), "cpu_time_s");
    hdf5::write_doubles(cpu_time.get(), "job", node.job_cpu_s);
    hdf5::write_doubles(cpu_time.get(), "node", node.node_busy_cpu_s);
    if (!node.jobs_cpu_s.empty()) hdf5::write_doubles(cpu_time.get(), "jobs", node.jobs_cpu_s);
  }
  hdf5::write_strings(group.get(), "notes", node.notes);
}

// The whole file, built in memory (HDF5's core driver): the disk is written by
// write_file_atomically alone, because HDF5 1.10 cannot recover from a full disk inside
// H5Fcreate (it leaves the file half open and loops at exit).
Handle in_memory_file(const std::string& path) {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  constexpr size_t growth_bytes = 4 << 20;
  if (!access.valid() || H5Pset_fapl_core(access.get(), growth_bytes, 0) < 0)
    throw std::runtime_error("HDF5: cannot set up an in-memory file");
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose);
  if (!file.valid()) throw std::runtime_error("HDF5: cannot create an in-memory file for " + path);
  return file;
}

std::string file_image(hid_t file, const std::string& path) {
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("HDF5: cannot complete " + path);
  ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) throw std::runtime_error("HDF5: cannot read back " + path);
  std::string image(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(file, image.data(), image.size()) != size) throw std::runtime_error("HDF5: cannot read back " + path);
  return image;
}

// Fills /nodes: node -> its group (hid_t nodes_group) for each node.
using NodeWriter = std::function<void(hid_t)>;

// Everything a trace holds, into an open file.
void write_trace_contents(hid_t root, const JobTrace& trace, const TraceParts& parts, const NodeWriter& write_nodes) {
  hdf5::write_attribute(root, trace_schema::format_attribute, std::string(trace_format_name));
  hdf5::write_attribute(root, trace_schema::format_version_attribute, trace_format_version);
  trace_schema::root_attributes(trace, AttributeWriter(root));
  hdf5::write_attribute(root, trace_schema::n_nodes_attribute, static_cast<long long>(parts.nodes.size()));
  for (const auto& [key, value] : trace.job.extra) {  // extra["id"] would overwrite job_id: the schema's wins
    const std::string name = trace_schema::extra_job_attribute(key);
    if (!trace_schema::root_attribute_names().contains(name)) hdf5::write_attribute(root, name, value);
  }

  auto nodes = create_group(root, "nodes");
  write_nodes(nodes.get());
  write_accounting(root, parts.nodes, trace.phases.size(), parts.power);

  std::vector<PhaseRow> phases;
  for (const auto& p : trace.phases) phases.push_back({p.name.c_str(), p.kind.c_str(), p.start_s, p.end_s, p.items});
  write_table(root, "phases", phase_row_type().get(), phases);
  std::vector<MetricRow> metrics;
  for (const auto& m : trace.metrics) metrics.push_back({m.name.c_str(), m.value, m.higher_is_better ? 1 : 0});
  write_table(root, "metrics", metric_row_type().get(), metrics);
  hdf5::write_strings(root, "notes", trace.notes);
  if (!trace.carbon.intensity.empty()) {
    auto intensity = create_group(root, "grid_intensity");
    hdf5::write_doubles(intensity.get(), "start_unix_s", trace.carbon.intensity.start_unix_s);
    hdf5::write_doubles(intensity.get(), "end_unix_s", trace.carbon.intensity.end_unix_s);
    hdf5::write_doubles(intensity.get(), "g_per_kwh", trace.carbon.intensity.g_per_kwh);
  }

  auto summary_group = create_group(root, "summary");
  trace_schema::summary_attributes(parts.totals, AttributeWriter(summary_group.get()));
}

std::string trace_image(const JobTrace& trace, const TraceParts& parts, const std::string& path, const NodeWriter& write_nodes) {
  Handle file = in_memory_file(path);
  write_trace_contents(file.get(), trace, parts, write_nodes);
  return file_image(file.get(), path);
}

std::vector<DomainSeries> read_domains(hid_t node_group, const std::string& group_name, const NodeTrace& node,
                                       ReadBudget& budget) {
  std::vector<DomainSeries> domains;
  auto energy = open_group(node_group, group_name);
  for (const auto& name : hdf5::child_names(energy.get())) {
    budget.take(sizeof(DomainSeries) + name.size(), "/nodes/" + node.node + "/" + group_name + "/" + name);
    DomainSeries series;
    series.info.name = name;
    series.energy_j = hdf5::read_doubles(energy.get(), name, budget);
    if (series.energy_j.size() != node.time_s.size())
      throw std::runtime_error("node " + node.node + ": " + group_name + "/" + name + " and time_s differ in length");
    // Energy that goes down, or that no node reaches, would be reported as it is: negative,
    // infinite, or absurd.
    if (auto damage = find_energy_damage(series.energy_j))
      throw std::runtime_error("node " + node.node + ": " + group_name + "/" + name + " at sample " +
                               std::to_string(damage->sample) + " " + damage->why);
    if (!hdf5::is_hard_link(energy.get(), name)) throw std::runtime_error(group_name + "/" + name + " is held elsewhere");
    Handle dataset(H5Dopen2(energy.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) throw std::runtime_error("cannot open " + group_name + "/" + name);
    series.info.source = trace_schema::unknown_source;
    AttributeReader reader(dataset.get(), "node " + node.node + ": " + group_name + "/" + name + ": ", budget);
    trace_schema::domain_attributes(series.info, reader);
    if (!reader.found("measurement"))
      series.info.measurement = trace_schema::measurement_without_record(series.info.source);
    if (series.info.measurement == Measurement::cpu_time)  // seconds: the job's assembly took them out
      throw std::runtime_error("node " + node.node + ": " + group_name + "/" + name + " holds CPU time, not energy");
    series.info.attributes = trace_schema::other_attributes(
        dataset.get(),
        [](const std::string& attribute) -> std::optional<std::string> {
          if (trace_schema::domain_attribute_names().contains(attribute)) return std::nullopt;
          return attribute;
        },
        budget);
    domains.push_back(std::move(series));
  }
  return domains;
}

NodeTrace read_node(hid_t nodes_group, const std::string& group_name_, ReadBudget& budget) {
  auto group = open_group(nodes_group, group_name_);
  budget.take(sizeof(NodeTrace), "/nodes/" + group_name_);
  NodeTrace node;
  node.node = group_name_;
  const std::string where = "node " + group_name_ + ": ";
  trace_schema::node_attributes(node, AttributeReader(group.get(), where, budget));
  node.time_s = hdf5::read_doubles(group.get(), "time_s", budget);
  // The accounting takes differences at phase bounds: its clock must be a clock.
  for (size_t i = 0; i < node.time_s.size(); ++i)
    if (!std::isfinite(node.time_s[i]) || (i > 0 && node.time_s[i] < node.time_s[i - 1]))
      throw std::runtime_error("node " + node.node + ": time_s is not finite and non-decreasing at sample " +
                               std::to_string(i));
  node.domains = read_domains(group.get(), "energy_j", node, budget);
  if (H5Lexists(group.get(), "node_energy_j", H5P_DEFAULT) > 0)
    node.node_domains = read_domains(group.get(), "node_energy_j", node, budget);
  if (H5Lexists(group.get(), "cpu_time_s", H5P_DEFAULT) > 0) {
    auto cpu_time = open_group(group.get(), "cpu_time_s");
    node.job_cpu_s = hdf5::read_doubles(cpu_time.get(), "job", budget);
    node.node_busy_cpu_s = hdf5::read_doubles(cpu_time.get(), "node", budget);
    if (H5Lexists(cpu_time.get(), "jobs", H5P_DEFAULT) > 0)
      node.jobs_cpu_s = hdf5::read_doubles(cpu_time.get(), "jobs", budget);
    if (node.job_cpu_s.size() != node.time_s.size() || node.node_busy_cpu_s.size() != node.time_s.size() ||
        (!node.jobs_cpu_s.empty() && node.jobs_cpu_s.size() != node.time_s.size()))
      throw std::runtime_error("node " + node.node + ": cpu_time_s and time_s differ in length");
  }
  if (H5Lexists(group.get(), "notes", H5P_DEFAULT) > 0) node.notes = hdf5::read_strings(group.get(), "notes", budget);
  return node;
}

}  // namespace

// The node file that /nodes/<name> links to, opened by erg itself and only where erg puts node
// files (node_files.hpp): no link, no other user's file, no file of another job. The job file
// is its user's to write and root may read it: any other link (another user's trace, a FIFO)
// is refused, never followed. Returns the file and its /nodes/<name>, checked.
struct OpenNodeFile {
  Handle file;
  Handle group;
};

OpenNodeFile open_node_file(const std::string& trace_path, hid_t nodes, const std::string& name, const std::string& start_utc) {
  const std::string link = hdf5::external_link_file(nodes, name);
  if (!is_node_file_link(link))
    throw UsageError(trace_path + ": /nodes/" + name + " links to '" + link + "', not to a node file beside it");
  const std::filesystem::path folder = std::filesystem::path(trace_path).parent_path();
  const std::string node_path = (folder.empty() ? std::filesystem::path(link) : folder / link).string();
  FileDescriptor node_fd = open_beside(trace_path, link);
  if (!node_fd.valid()) throw UsageError(node_path + ": the node file is missing, not a file, or not the trace owner's");
  const std::string through = "/proc/self/fd/" + std::to_string(node_fd.get());
  if (H5Fis_hdf5(through.c_str()) <= 0) throw UsageError(node_path + ": the node file is not HDF5");
  OpenNodeFile opened;
  opened.file = Handle(H5Fopen(through.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!opened.file.valid()) throw UsageError(node_path + ": cannot be opened as HDF5 (truncated or damaged?)");
  hid_t root = opened.file.get();
  const bool ours = hdf5::has_attribute(root, trace_schema::format_attribute) &&
                    hdf5::read_string_attribute(root, trace_schema::format_attribute) == node_file_format_name;
  if (!ours) throw UsageError(node_path + ": not an erg node file");
  // A node file another run wrote in its place (a rerun whose job file was never written).
  if (!start_utc.empty() && (!hdf5::has_attribute(root, node_file_start_attribute) ||
                             hdf5::read_string_attribute(root, node_file_start_attribute) != start_utc))
    throw UsageError(node_path + ": the node file of another run of the job (it does not start at " + start_utc + ")");
  if (!hdf5::is_hard_link(root, "nodes")) throw UsageError(node_path + ": holds no /nodes");
  Handle node_group(H5Gopen2(root, "nodes", H5P_DEFAULT), H5Gclose);
  if (!node_group.valid() || !hdf5::is_hard_link(node_group.get(), name)) throw UsageError(node_path + ": holds no /nodes/" + name);
  opened.group = std::move(node_group);
  return opened;
}

void write_trace_file(const JobTrace& trace, const TraceParts& parts, const std::string& path, TraceLayout layout,
                      const std::optional<FileOwnership>& ownership) {
  hdf5::QuietErrors quiet;
  write_file_atomically(path, trace_image(trace, parts, path, [&](hid_t nodes) {
                          if (layout == TraceLayout::packed) {
                            for (const auto& node : trace.nodes) write_node(nodes, node);
                            return;
                          }
                          // Each node's samples in its own file (write_node_file), linked by name.
                          for (const auto& node : parts.nodes)
                            if (!node.node_file.empty() &&
                                H5Lcreate_external(node.node_file.c_str(), ("/nodes/" + node_group_name(node.node)).c_str(),
                                                   nodes, node_group_name(node.node).c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
                              throw std::runtime_error("HDF5: cannot link " + node.node_file);
                        }),
                        ownership);
}

std::string write_node_file(const NodeTrace& node, const std::string& trace_path, const std::string& start_utc,
                            const std::optional<FileOwnership>& ownership) {
  hdf5::QuietErrors quiet;
  const std::string link = node_file_link(trace_path, node.node);
  const std::string path = node_file_path(trace_path, node.node);
  Handle file = in_memory_file(path);
  hdf5::write_attribute(file.get(), trace_schema::format_attribute, std::string(node_file_format_name));
  hdf5::write_attribute(file.get(), trace_schema::format_version_attribute, trace_format_version);
  hdf5::write_attribute(file.get(), node_file_start_attribute, start_utc);
  auto nodes = create_group(file.get(), "nodes");
  write_node(nodes.get(), node);
  nodes = Handle();
  std::string image = file_image(file.get(), path);
  file = Handle();
  FileDescriptor folder = open_node_folder(trace_path, ownership);
  write_file_atomically_at(folder.get(), node_group_name(node.node) + ".h5", image, ownership, path);
  return link;
}

void pack_trace_file(const std::string& trace_path, const JobTrace& trace, const TraceParts& parts,
                     const std::string& packed_path) {
  hdf5::QuietErrors quiet;
  if (::access(trace_path.c_str(), R_OK) != 0) throw UsageError(trace_path + ": " + std::strerror(errno));
  Handle source(H5Fopen(trace_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!source.valid()) throw UsageError(trace_path + ": cannot be opened as HDF5 (truncated or damaged?)");
  std::vector<NodeSummary> nodes = parts.nodes;
  for (auto& node : nodes) node.node_file.clear();  // all inside
  const TraceParts packed{nodes, parts.power, parts.totals};
  auto source_nodes = open_group(source.get(), "nodes");
  Handle copy_list(H5Pcreate(H5P_OBJECT_COPY), H5Pclose);
  // Written on disk as it is built, one node at a time (a packed trace may hold gigabytes),
  // under a temporary name beside its place, then renamed into it.
  const std::filesystem::path target(packed_path);
  const std::filesystem::path temporary = target.parent_path() / temporary_file_name(target.filename().string());
  try {
    Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) throw UsageError("cannot write " + packed_path + " (its folder, or a file in the way)");
    write_trace_contents(file.get(), trace, packed, [&](hid_t into) {
      for (const auto& name : hdf5::child_names(source_nodes.get())) {
        if (hdf5::is_hard_link(source_nodes.get(), name)) {  // already in the file
          if (H5Ocopy(source_nodes.get(), name.c_str(), into, name.c_str(), copy_list.get(), H5P_DEFAULT) < 0)
            throw UsageError(trace_path + ": cannot copy /nodes/" + name);
          continue;
        }
        OpenNodeFile node = open_node_file(trace_path, source_nodes.get(), name, trace.job.start_utc);
        if (H5Ocopy(node.group.get(), name.c_str(), into, name.c_str(), copy_list.get(), H5P_DEFAULT) < 0)
          throw UsageError(trace_path + ": the node file of " + name + " cannot be copied");
      }
    });
    if (H5Fflush(file.get(), H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("cannot complete " + packed_path);
    file = Handle();
    std::filesystem::permissions(temporary, std::filesystem::status(trace_path).permissions() & std::filesystem::perms::all);
    std::filesystem::rename(temporary, target);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

std::string grid_intensity_problem(const GridIntensity& series) {
  const std::size_t n = series.g_per_kwh.size();
  if (series.start_unix_s.size() != n || series.end_unix_s.size() != n) return "its datasets differ in length";
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(series.g_per_kwh[i]) || series.g_per_kwh[i] < 0)
      return "an intensity that is not a finite number >= 0";
    if (!std::isfinite(series.start_unix_s[i]) || !(series.end_unix_s[i] > series.start_unix_s[i]))
      return "a step that does not end after it starts";
    if (i > 0 && series.start_unix_s[i] < series.end_unix_s[i - 1]) return "steps out of order or overlapping";
  }
  return "";
}

JobTrace read_trace_file(const std::string& path, TraceRead what) {
  return read_trace_file(path, max_trace_bytes_from_environment(), what);
}

JobTrace read_trace_file(const std::string& path, std::uint64_t max_bytes, TraceRead what) {
  hdf5::QuietErrors quiet;
  if (::access(path.c_str(), R_OK) != 0) throw UsageError(path + ": " + std::strerror(errno));
  if (std::filesystem::is_directory(path)) throw UsageError(path + ": is a directory, not an erg trace");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw UsageError(path + ": not an HDF5 file, so not an erg trace");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw UsageError(path + ": cannot be opened as HDF5 (truncated or damaged?)");
  hid_t root = file.get();
  ReadBudget budget(max_bytes);
  try {
    if (!hdf5::has_attribute(root, trace_schema::format_attribute) ||
        hdf5::read_string_attribute(root, trace_schema::format_attribute) != trace_format_name)
      throw UsageError(path + ": not an erg trace (no format = \"erg-trace\" attribute)");
    long long version = hdf5::read_integer_attribute(root, trace_schema::format_version_attribute);
    if (version != trace_format_version)
      throw UsageError(path + ": erg trace format_version " + std::to_string(version) + " is not supported (expected " +
                       std::to_string(trace_format_version) + ")");
    JobTrace trace;
    trace_schema::root_attributes(trace, AttributeReader(root, "", budget));
    trace.job.extra = trace_schema::other_attributes(root, trace_schema::extra_job_key, budget);


    auto phase_type = phase_row_type();
    read_table<PhaseRow>(root, "phases", phase_type.get(), budget, [&](const PhaseRow& r) {
      trace.phases.push_back({r.name ? r.name : "", r.kind ? r.kind : "", r.start_s, r.end_s, r.items});
    });
    for (const auto& p : trace.phases)  // a phase is an interval of the job's clock
      if (!std::isfinite(p.start_s) || !std::isfinite(p.end_s) || p.end_s < p.start_s)
        throw std::runtime_error("phase '" + p.name + "' does not run from a finite start_s to a later end_s");
    auto metric_type = metric_row_type();
    read_table<MetricRow>(root, "metrics", metric_type.get(), budget, [&](const MetricRow& r) {
      trace.metrics.push_back({r.name ? r.name : "", r.value, r.higher_is_better != 0});
    });
    if (H5Lexists(root, "notes", H5P_DEFAULT) > 0) trace.notes = hdf5::read_strings(root, "notes", budget);
    if (H5Lexists(root, "grid_intensity", H5P_DEFAULT) > 0) {
      auto group = open_group(root, "grid_intensity");
      GridIntensity& series = trace.carbon.intensity;
      series.start_unix_s = hdf5::read_doubles(group.get(), "start_unix_s", budget);
      series.end_unix_s = hdf5::read_doubles(group.get(), "end_unix_s", budget);
      series.g_per_kwh = hdf5::read_doubles(group.get(), "g_per_kwh", budget);
      if (std::string problem = grid_intensity_problem(series); !problem.empty())
        throw std::runtime_error("/grid_intensity: " + problem);
    }
    const bool accounting = has_accounting(root);
    if (accounting) read_accounting(root, trace.phases.size(), budget, trace.summaries, trace.power);
    if (!accounting || what == TraceRead::samples) {  // a trace from before the tables: its nodes whole
      auto nodes = open_group(root, "nodes");
      for (const auto& name : hdf5::child_names(nodes.get())) {
        if (hdf5::is_hard_link(nodes.get(), name)) {
          trace.nodes.push_back(read_node(nodes.get(), name, budget));
          continue;
        }
        if (!accounting) throw std::runtime_error("/nodes/" + name + " is held in another file, and the trace has no accounting tables");
        // A node file that is gone leaves its node to its summary, with a note.
        try {
          OpenNodeFile node = open_node_file(path, nodes.get(), name, trace.job.start_utc);
          trace.nodes.push_back(read_node(node.group.get(), name, budget));
        } catch (const UsageError& e) {
          trace.notes.push_back("node " + name + ": its samples could not be read: " + e.what());
        }
      }
    }
    return trace;
  } catch (const UsageError&) {
    throw;
  } catch (const TraceTooLarge& e) {
    throw UsageError(path + ": too large to read: " + e.what());
  } catch (const std::exception& e) {
    throw UsageError(path + ": damaged erg trace: " + e.what());
  }
}

}  // namespace erg
