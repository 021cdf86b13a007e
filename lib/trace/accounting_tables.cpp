#include "trace/accounting_tables.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "trace/hdf5_handle.hpp"
#include "trace/hdf5_table.hpp"
#include "trace/recorded_ranges.hpp"

namespace erg {

using hdf5::Handle;

namespace {

constexpr const char* accounting_group = "accounting";
constexpr const char* power_group = "power";
// What a node's counter may hold (docs/trace-format.md, "Reading it"): a larger figure in a
// file is damage. The power series sums the nodes, so it may hold more.
constexpr double max_energy_j = 1e15;
constexpr double max_job_energy_j = 1e21;
constexpr NumberRange any_finite{-std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
constexpr NumberRange energy_range{0, max_energy_j};

struct NodeRow {
  const char* name;
  int n_ranks;
  double sampler_cpu_s;
  double cpu_tdp_w;
  int logical_cpus;
  unsigned long long spool_skipped_bytes;
  unsigned long long n_samples;
  double first_s;
  double last_s;
  const char* node_share;
  double job_cpus;
  int node_cpus;
  double idle_power_fraction;
  const char* allocation_source;
  const char* share_rule;
  const char* node_file;
};

struct NoteRow {
  unsigned long long node;
  const char* text;
};

struct DomainRow {
  unsigned long long node;
  const char* name;
  const char* source;
  const char* path;
  const char* measurement;
  int has_samples;
  double first_s;
  double last_s;
  double energy_j;
  double co2e_g;
  double uncovered_facility_j;
  double outside_energy_j;
  double outside_co2e_g;
  int split;
  double node_energy_j;
};

#define ERG_FIELD(Row, field, type) H5Tinsert(t.get(), #field, HOFFSET(Row, field), type)

Handle node_row_type() {
  auto str = hdf5::utf8_string_type();
  Handle t(H5Tcreate(H5T_COMPOUND, sizeof(NodeRow)), H5Tclose);
  ERG_FIELD(NodeRow, name, str.get());
  ERG_FIELD(NodeRow, n_ranks, H5T_NATIVE_INT);
  ERG_FIELD(NodeRow, sampler_cpu_s, H5T_NATIVE_DOUBLE);
  ERG_FIELD(NodeRow, cpu_tdp_w, H5T_NATIVE_DOUBLE);
  ERG_FIELD(NodeRow, logical_cpus, H5T_NATIVE_INT);
  ERG_FIELD(NodeRow, spool_skipped_bytes, H5T_NATIVE_ULLONG);
  ERG_FIELD(NodeRow, n_samples, H5T_NATIVE_ULLONG);
  ERG_FIELD(NodeRow, first_s, H5T_NATIVE_DOUBLE);
  ERG_FIELD(NodeRow, last_s, H5T_NATIVE_DOUBLE);
  ERG_FIELD(NodeRow, node_share, str.get());
  ERG_FIELD(NodeRow, job_cpus, H5T_NATIVE_DOUBLE);
  ERG_FIELD(NodeRow, node_cpus, H5T_NATIVE_INT);
  ERG_FIELD(NodeRow, idle_power_fraction, H5T_NATIVE_DOUBLE);
  ERG_FIELD(NodeRow, allocation_source, str.get());
  ERG_FIELD(NodeRow, share_rule, str.get());
  ERG_FIELD(NodeRow, node_file, str.get());
  return t;
}

Handle note_row_type() {
  auto str = hdf5::utf8_string_type();
  Handle t(H5Tcreate(H5T_COMPOUND, sizeof(NoteRow)), H5Tclose);
  ERG_FIELD(NoteRow, node, H5T_NATIVE_ULLONG);
  ERG_FIELD(NoteRow, text, str.get());
  return t;
}

Handle domain_row_type() {
  auto str = hdf5::utf8_string_type();
  Handle t(H5Tcreate(H5T_COMPOUND, sizeof(DomainRow)), H5Tclose);
  ERG_FIELD(DomainRow, node, H5T_NATIVE_ULLONG);
  ERG_FIELD(DomainRow, name, str.get());
  ERG_FIELD(DomainRow, source, str.get());
  ERG_FIELD(DomainRow, path, str.get());
  ERG_FIELD(DomainRow, measurement, str.get());
  ERG_FIELD(DomainRow, has_samples, H5T_NATIVE_INT);
  ERG_FIELD(DomainRow, first_s, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, last_s, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, energy_j, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, co2e_g, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, uncovered_facility_j, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, outside_energy_j, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, outside_co2e_g, H5T_NATIVE_DOUBLE);
  ERG_FIELD(DomainRow, split, H5T_NATIVE_INT);
  ERG_FIELD(DomainRow, node_energy_j, H5T_NATIVE_DOUBLE);
  return t;
}

#undef ERG_FIELD

Handle create_group(hid_t parent, const char* name) {
  Handle group(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!group.valid()) throw std::runtime_error(std::string("HDF5: cannot create group ") + name);
  return group;
}

// Only what this file holds (hdf5::is_hard_link), and only as a group.
Handle open_own_group(hid_t parent, const std::string& name) {
  if (!hdf5::is_hard_link(parent, name)) throw std::runtime_error(name + " is not a group of this file");
  Handle group(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) throw std::runtime_error("cannot open " + name);
  return group;
}

std::string text(const char* value) { return value ? value : ""; }

void check_number(double value, NumberRange range, const std::string& what) {
  if (!std::isfinite(value) || value < range.min || value > range.max)
    throw std::runtime_error(what + " is not a number within its range");
}

}  // namespace

void write_accounting(hid_t root, const std::vector<NodeSummary>& nodes, std::size_t n_phases, const PowerSeries& power) {
  auto accounting = create_group(root, accounting_group);
  std::vector<NodeRow> node_rows;
  std::vector<NoteRow> note_rows;
  std::vector<DomainRow> domain_rows;
  std::vector<double> phase_energy_j, phase_co2e_g;
  std::vector<std::string> measurements;  // the rows point at these
  for (const auto& n : nodes)
    for (const auto& d : n.domains) measurements.emplace_back(measurement_name(d.info.measurement));
  std::size_t m = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeSummary& n = nodes[i];
    node_rows.push_back({n.node.c_str(), n.n_ranks, n.sampler_cpu_s, n.cpu_tdp_w, n.logical_cpus, n.spool_skipped_bytes,
                         n.n_samples, n.first_s, n.last_s, n.share.mode.c_str(), n.share.job_cpus, n.share.node_cpus,
                         n.share.idle_power_fraction, n.share.allocation_source.c_str(), n.share.rule.c_str(),
                         n.node_file.c_str()});
    for (const auto& note : n.notes) note_rows.push_back({i, note.c_str()});
    for (const auto& d : n.domains) {
      domain_rows.push_back({i, d.info.name.c_str(), d.info.source.c_str(), d.info.path.c_str(), measurements[m++].c_str(),
                             d.has_samples ? 1 : 0, d.first_s, d.last_s, d.energy_j, d.co2e_g, d.uncovered_facility_j,
                             d.outside_energy_j, d.outside_co2e_g, d.split ? 1 : 0, d.split ? d.node_energy_j : 0.0});
      for (std::size_t p = 0; p < n_phases; ++p) {
        phase_energy_j.push_back(p < d.phase_energy_j.size() ? d.phase_energy_j[p] : 0.0);
        phase_co2e_g.push_back(p < d.phase_co2e_g.size() ? d.phase_co2e_g[p] : 0.0);
      }
    }
  }
  hdf5::write_table(accounting.get(), "nodes", node_row_type().get(), node_rows);
  hdf5::write_table(accounting.get(), "node_notes", note_row_type().get(), note_rows);
  hdf5::write_table(accounting.get(), "domains", domain_row_type().get(), domain_rows);
  // Row-major [domain row][phase], the phases in /phases' order.
  hdf5::write_doubles(accounting.get(), "phase_energy_j", phase_energy_j);
  hdf5::write_doubles(accounting.get(), "phase_co2e_g", phase_co2e_g);

  auto group = create_group(root, power_group);
  hdf5::write_attribute(group.get(), "step_s", power.step_s);
  std::vector<double> time_s(power.points());
  for (std::size_t k = 0; k < time_s.size(); ++k) time_s[k] = static_cast<double>(k) * power.step_s;
  hdf5::write_doubles(group.get(), "time_s", time_s);
  auto energy = create_group(group.get(), "energy_j");
  for (std::size_t d = 0; d < power.domains.size(); ++d) hdf5::write_doubles(energy.get(), power.domains[d], power.energy_j[d]);
}

bool has_accounting(hid_t root) { return H5Lexists(root, accounting_group, H5P_DEFAULT) > 0; }

void read_accounting(hid_t root, std::size_t n_phases, ReadBudget& budget, std::vector<NodeSummary>& nodes,
                     PowerSeries& power) {
  auto accounting = open_own_group(root, accounting_group);
  const std::string where = "/accounting/";
  auto node_type = node_row_type();
  if (!hdf5::is_hard_link(accounting.get(), "nodes")) throw std::runtime_error(where + "nodes is missing");
  hdf5::read_table<NodeRow>(accounting.get(), "nodes", node_type.get(), budget, [&](const NodeRow& r) {
    budget.take(sizeof(NodeSummary), where + "nodes");
    NodeSummary n;
    n.node = text(r.name);
    const std::string what = where + "nodes row " + std::to_string(nodes.size()) + ": ";
    check_number(r.n_ranks, count_range, what + "n_ranks");
    check_number(r.sampler_cpu_s, at_least_zero, what + "sampler_cpu_s");
    check_number(r.cpu_tdp_w, at_least_zero, what + "cpu_tdp_w");
    check_number(r.logical_cpus, count_range, what + "logical_cpus");
    check_number(r.first_s, any_finite, what + "first_s");
    check_number(r.last_s, any_finite, what + "last_s");
    check_number(r.job_cpus, at_least_zero, what + "job_cpus");
    check_number(r.node_cpus, count_range, what + "node_cpus");
    check_number(r.idle_power_fraction, fraction_range, what + "idle_power_fraction");
    n.n_ranks = r.n_ranks;
    n.sampler_cpu_s = r.sampler_cpu_s;
    n.cpu_tdp_w = r.cpu_tdp_w;
    n.logical_cpus = r.logical_cpus;
    n.spool_skipped_bytes = r.spool_skipped_bytes;
    n.n_samples = r.n_samples;
    n.first_s = r.first_s;
    n.last_s = r.last_s;
    n.share.mode = text(r.node_share);
    if (n.share.mode != NodeShare::exclusive && n.share.mode != NodeShare::shared)
      throw std::runtime_error(what + "node_share is neither exclusive nor shared");
    n.share.job_cpus = r.job_cpus;
    n.share.node_cpus = r.node_cpus;
    n.share.idle_power_fraction = r.idle_power_fraction;
    n.share.allocation_source = text(r.allocation_source);
    n.share.rule = text(r.share_rule);
    n.node_file = text(r.node_file);
    nodes.push_back(std::move(n));
  });
  auto note_type = note_row_type();
  if (hdf5::is_hard_link(accounting.get(), "node_notes"))
    hdf5::read_table<NoteRow>(accounting.get(), "node_notes", note_type.get(), budget, [&](const NoteRow& r) {
      if (r.node >= nodes.size()) throw std::runtime_error(where + "node_notes: a note of no node");
      budget.take(sizeof(std::string) + text(r.text).size(), where + "node_notes");
      nodes[r.node].notes.push_back(text(r.text));
    });
  auto domain_type = domain_row_type();
  if (!hdf5::is_hard_link(accounting.get(), "domains")) throw std::runtime_error(where + "domains is missing");
  std::size_t rows = 0;
  std::vector<std::pair<std::size_t, std::size_t>> row_domains;  // (node, its domain) of each row, in file order
  hdf5::read_table<DomainRow>(accounting.get(), "domains", domain_type.get(), budget, [&](const DomainRow& r) {
    const std::string what = where + "domains row " + std::to_string(rows++) + ": ";
    if (r.node >= nodes.size()) throw std::runtime_error(what + "names no node");
    budget.take(sizeof(DomainSummary) + 2 * n_phases * sizeof(double), where + "domains");
    DomainSummary d;
    d.info.name = text(r.name);
    d.info.source = text(r.source);
    d.info.path = text(r.path);
    try {
      d.info.measurement = parse_measurement(text(r.measurement));
    } catch (const std::exception&) {
      throw std::runtime_error(what + "measurement is not one erg writes");
    }
    if (d.info.measurement == Measurement::cpu_time) throw std::runtime_error(what + "holds CPU time, not energy");
    check_number(r.first_s, any_finite, what + "first_s");
    check_number(r.last_s, any_finite, what + "last_s");
    check_number(r.energy_j, energy_range, what + "energy_j");
    check_number(r.co2e_g, energy_range, what + "co2e_g");
    check_number(r.uncovered_facility_j, energy_range, what + "uncovered_facility_j");
    check_number(r.outside_energy_j, energy_range, what + "outside_energy_j");
    check_number(r.outside_co2e_g, energy_range, what + "outside_co2e_g");
    check_number(r.node_energy_j, energy_range, what + "node_energy_j");
    d.has_samples = r.has_samples != 0;
    d.first_s = r.first_s;
    d.last_s = r.last_s;
    d.energy_j = r.energy_j;
    d.co2e_g = r.co2e_g;
    d.uncovered_facility_j = r.uncovered_facility_j;
    d.outside_energy_j = r.outside_energy_j;
    d.outside_co2e_g = r.outside_co2e_g;
    d.split = r.split != 0;
    d.node_energy_j = r.node_energy_j;
    row_domains.emplace_back(r.node, nodes[r.node].domains.size());
    nodes[r.node].domains.push_back(std::move(d));
  });
  const auto phase_energy_j = hdf5::read_doubles(accounting.get(), "phase_energy_j", budget);
  const auto phase_co2e_g = hdf5::read_doubles(accounting.get(), "phase_co2e_g", budget);
  if (phase_energy_j.size() != rows * n_phases || phase_co2e_g.size() != rows * n_phases)
    throw std::runtime_error(where + "phase_energy_j and phase_co2e_g need one value per domain row and phase");
  for (std::size_t row = 0; row < rows; ++row) {
    DomainSummary& d = nodes[row_domains[row].first].domains[row_domains[row].second];
    for (std::size_t p = 0; p < n_phases; ++p) {
      const double e = phase_energy_j[row * n_phases + p], g = phase_co2e_g[row * n_phases + p];
      check_number(e, energy_range, where + "phase_energy_j");
      check_number(g, energy_range, where + "phase_co2e_g");
      d.phase_energy_j.push_back(e);
      d.phase_co2e_g.push_back(g);
    }
  }

  auto group = open_own_group(root, power_group);
  power.step_s = hdf5::read_double_attribute(group.get(), "step_s");
  check_number(power.step_s, at_least_zero, "/power step_s");
  auto energy = open_own_group(group.get(), "energy_j");
  for (const auto& name : hdf5::child_names(energy.get())) {
    budget.take(sizeof(std::vector<double>) + 2 * name.size(), "/power/energy_j/" + name);
    auto values = hdf5::read_doubles(energy.get(), name, budget);
    for (double v : values) check_number(v, {0, max_job_energy_j}, "/power/energy_j/" + name);
    if (!power.energy_j.empty() && values.size() != power.energy_j.front().size())
      throw std::runtime_error("/power/energy_j: its domains differ in length");
    power.domains.push_back(name);
    power.energy_j.push_back(std::move(values));
  }
  if (power.points() >= 2 && !(power.step_s > 0)) throw std::runtime_error("/power: a series without a step");
  if (power.points() > power_series_steps + 1) throw std::runtime_error("/power: more points than erg writes");
}

}  // namespace erg
