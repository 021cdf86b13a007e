#include "accounting/job_account.hpp"
#include "trace/trace_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "packed_trace.hpp"
#include "temp_dir.hpp"
#include "trace/hdf5_handle.hpp"
#include "util/errors.hpp"

namespace erg {

using testing::TempDir;

TEST(TraceFile, RoundTripsEverything) {
  TempDir dir;
  JobTrace trace;
  trace.job.job_id = "42";
  trace.job.job_name = "train";
  trace.job.user = "alice";
  trace.job.start_utc = "2026-01-01T00:00:00.000Z";
  trace.job.end_utc = "2026-01-01T00:00:05.000Z";
  trace.job.duration_s = 5;
  trace.job.n_ranks = 4;
  trace.job.erg_version = "0.1.0";
  trace.job.extra["partition"] = "gpu";
  trace.carbon = {1.2, "given", 350, "given", "DEU", {{1.7e9, 1.7e9 + 3600}, {1.7e9 + 3600, 1.7e9 + 7200}, {100, 300}, "s.csv"},
                  55.96, 3.357, "default: BLOOM"};
  trace.interval_s = 0.5;
  NodeTrace n;
  n.node = "node/1";
  n.n_ranks = 2;
  n.time_s = {0, 1, 2};
  n.domains.push_back({{"cpu", "rapl", "/sys/x"}, {0, 1.5, std::numeric_limits<double>::quiet_NaN()}});
  n.sampler_cpu_s = 0.25;
  n.notes = {"hello"};
  trace.nodes.push_back(n);
  trace.phases = {{"train", "train", 0.5, 1.5, 1000}};
  trace.metrics = {{"accuracy", 0.9, true}};
  trace.notes = {"a note"};
  JobAccount account = account_job(trace);
  testing::write_packed_trace(trace, dir / "t.h5");

  JobTrace back = read_trace_file(dir / "t.h5", TraceRead::samples);
  EXPECT_EQ(back.job.job_id, "42");
  EXPECT_EQ(back.job.user, "alice");
  EXPECT_EQ(back.job.extra["partition"], "gpu");
  EXPECT_EQ(back.job.n_ranks, 4);
  EXPECT_DOUBLE_EQ(back.carbon.pue, 1.2);
  EXPECT_EQ(back.carbon.region, "DEU");
  EXPECT_EQ(back.carbon.intensity.g_per_kwh, (std::vector<double>{100, 300}));
  EXPECT_EQ(back.carbon.intensity.end_unix_s, trace.carbon.intensity.end_unix_s);
  EXPECT_EQ(back.carbon.intensity.source, "s.csv");
  EXPECT_EQ(back.carbon.embodied_g_per_node_hour, 55.96);
  EXPECT_EQ(back.carbon.embodied_g_per_gpu_hour, 3.357);
  EXPECT_EQ(back.carbon.embodied_source, "default: BLOOM");
  ASSERT_EQ(back.nodes.size(), 1u);
  EXPECT_EQ(back.nodes[0].node, "node/1");
  EXPECT_EQ(back.nodes[0].n_ranks, 2);
  EXPECT_EQ(back.nodes[0].domains[0].info.source, "rapl");
  EXPECT_DOUBLE_EQ(back.nodes[0].domains[0].energy_j[1], 1.5);
  EXPECT_TRUE(std::isnan(back.nodes[0].domains[0].energy_j[2]));
  EXPECT_EQ(back.nodes[0].notes, std::vector<std::string>{"hello"});
  ASSERT_EQ(back.phases.size(), 1u);
  EXPECT_EQ(back.phases[0].name, "train");
  EXPECT_EQ(back.phases[0].items, 1000u);
  ASSERT_EQ(back.metrics.size(), 1u);
  EXPECT_TRUE(back.metrics[0].higher_is_better);
  EXPECT_EQ(back.notes, std::vector<std::string>{"a note"});
}

namespace {

// Equal, where NaN equals NaN (a failed read stays a failed read).
void expect_same_values(const std::vector<double>& a, const std::vector<double>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(std::isnan(a[i]) && std::isnan(b[i]))) {
      EXPECT_EQ(a[i], b[i]) << what << " [" << i << "]";
    }
}

// Everything the HDF5 trace holds (JobInfo::start_unix_s is not in it).
void expect_same_trace(const JobTrace& a, const JobTrace& b) {
  EXPECT_EQ(a.job.job_id, b.job.job_id);
  EXPECT_EQ(a.job.job_name, b.job.job_name);
  EXPECT_EQ(a.job.user, b.job.user);
  EXPECT_EQ(a.job.start_utc, b.job.start_utc);
  EXPECT_EQ(a.job.end_utc, b.job.end_utc);
  EXPECT_EQ(a.job.duration_s, b.job.duration_s);
  EXPECT_EQ(a.job.n_ranks, b.job.n_ranks);
  EXPECT_EQ(a.job.erg_version, b.job.erg_version);
  EXPECT_EQ(a.job.extra, b.job.extra);
  EXPECT_EQ(a.carbon.pue, b.carbon.pue);
  EXPECT_EQ(a.carbon.pue_source, b.carbon.pue_source);
  EXPECT_EQ(a.carbon.emission_factor_g_per_kwh, b.carbon.emission_factor_g_per_kwh);
  EXPECT_EQ(a.carbon.emission_factor_source, b.carbon.emission_factor_source);
  EXPECT_EQ(a.carbon.region, b.carbon.region);
  EXPECT_EQ(a.interval_s, b.interval_s);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t n = 0; n < a.nodes.size(); ++n) {
    const NodeTrace &x = a.nodes[n], &y = b.nodes[n];
    EXPECT_EQ(x.node, y.node);
    EXPECT_EQ(x.n_ranks, y.n_ranks);
    expect_same_values(x.time_s, y.time_s, x.node + " time_s");
    EXPECT_EQ(x.sampler_cpu_s, y.sampler_cpu_s);
    EXPECT_EQ(x.cpu_tdp_w, y.cpu_tdp_w);
    EXPECT_EQ(x.logical_cpus, y.logical_cpus);
    EXPECT_EQ(x.spool_skipped_bytes, y.spool_skipped_bytes);
    EXPECT_EQ(x.notes, y.notes);
    ASSERT_EQ(x.domains.size(), y.domains.size());
    for (size_t d = 0; d < x.domains.size(); ++d) {
      const DomainInfo &i = x.domains[d].info, &j = y.domains[d].info;
      EXPECT_EQ(i.name, j.name);
      EXPECT_EQ(i.source, j.source) << i.name;
      EXPECT_EQ(i.path, j.path) << i.name;
      EXPECT_EQ(i.measurement, j.measurement) << i.name;
      EXPECT_EQ(i.attributes, j.attributes) << i.name;
      expect_same_values(x.domains[d].energy_j, y.domains[d].energy_j, x.node + " " + i.name);
    }
  }
  ASSERT_EQ(a.phases.size(), b.phases.size());
  for (size_t p = 0; p < a.phases.size(); ++p) {
    EXPECT_EQ(a.phases[p].name, b.phases[p].name);
    EXPECT_EQ(a.phases[p].kind, b.phases[p].kind);
    EXPECT_EQ(a.phases[p].start_s, b.phases[p].start_s);
    EXPECT_EQ(a.phases[p].end_s, b.phases[p].end_s);
    EXPECT_EQ(a.phases[p].items, b.phases[p].items);
  }
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (size_t m = 0; m < a.metrics.size(); ++m) {
    EXPECT_EQ(a.metrics[m].name, b.metrics[m].name);
    EXPECT_EQ(a.metrics[m].value, b.metrics[m].value);
    EXPECT_EQ(a.metrics[m].higher_is_better, b.metrics[m].higher_is_better);
  }
  EXPECT_EQ(a.notes, b.notes);
}

// A trace with something in every item of the format, and attributes erg itself knows
// nothing of: a sensor's own (firmware, hwmon_chip) and the job's own (qos, ...).
// Nodes and domains in name order, the order in which the file lists them.
JobTrace full_trace() {
  JobTrace trace;
  trace.job = {"42", "train", "alice", "2026-01-01T00:00:00.000Z", 0, "2026-01-01T00:00:05.000Z", 5, 4, "0.1.0",
               {{"partition", "gpu"}, {"account", "ml"}, {"qos", "high"}, {"reservation", "r1"}},
               "cancelled", 143};
  trace.carbon = {1.2, "site file", 350, "Ember 2024", "DEU", {}, 0, 0, ""};
  trace.interval_s = 0.5;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  NodeTrace a;
  a.node = "n1/a";
  a.n_ranks = 2;
  a.time_s = {0, 1, 2};
  a.domains.push_back({{"cpu", "rapl", "/sys/x", {{"zones", "package-0,package-1"}}, Measurement::counter},
                       {0, 1.5, nan}});
  a.domains.push_back({{"dram", "model", "0.375 W/GB", {}, Measurement::model}, {0, 0.25, 0.5}});
  a.domains.push_back({{"gpu0", "hwmon", "/sys/class/hwmon/hwmon3",
                        {{"firmware", "1.2"}, {"hwmon_chip", "x"}, {"gpu_index", "0"}, {"gpu_uuid", "GPU-1"}},
                        Measurement::integrated_power},
                       {0, 100, 250}});
  a.sampler_cpu_s = 0.25;
  a.cpu_tdp_w = 280;
  a.logical_cpus = 64;
  a.spool_skipped_bytes = 17;
  a.notes = {"hello"};
  NodeTrace b;
  b.node = "n2";
  b.n_ranks = 0;
  b.time_s = {0.5, 1.5};
  b.domains.push_back({{"cpu", "model", "cpu model", {{"method", "TDP x utilisation"}}, Measurement::model}, {0, 3}});
  trace.nodes = {a, b};
  trace.phases = {{"search", "search", 0, 0.5, 0}, {"train", "train", 0.5, 1.5, 1000}};
  trace.metrics = {{"accuracy", 0.9, true}, {"loss", 0.1, false}};
  trace.notes = {"a note", "another"};
  return trace;
}

}  // namespace

TEST(TraceFile, WriteReadRewriteReadKeepsEverything) {
  TempDir dir;
  const JobTrace trace = full_trace();
  testing::write_packed_trace(trace, dir / "first.h5");
  const JobTrace first = read_trace_file(dir / "first.h5", TraceRead::samples);
  expect_same_trace(trace, first);
  testing::write_packed_trace(first, dir / "second.h5");
  const JobTrace second = read_trace_file(dir / "second.h5", TraceRead::samples);
  expect_same_trace(trace, second);
  EXPECT_EQ(second.nodes[0].domains[2].info.attributes.at("firmware"), "1.2");
  EXPECT_EQ(second.nodes[0].domains[2].info.measurement, Measurement::integrated_power);
  EXPECT_EQ(second.job.extra.at("qos"), "high");
  EXPECT_EQ(second.job.job_state, "cancelled");
  EXPECT_EQ(second.job.exit_code, 143);
}

TEST(TraceFile, ASensorAttributeNeverReplacesOneOfTheFormat) {
  TempDir dir;
  JobTrace trace = full_trace();
  trace.nodes[0].domains[0].info.attributes["source"] = "spoofed";
  trace.nodes[0].domains[0].info.attributes["measurement"] = "model";
  trace.job.extra["id"] = "not the job id";  // would be written as job_id
  testing::write_packed_trace(trace, dir / "t.h5");
  const JobTrace back = read_trace_file(dir / "t.h5", TraceRead::samples);
  EXPECT_EQ(back.nodes[0].domains[0].info.source, "rapl");
  EXPECT_EQ(back.nodes[0].domains[0].info.measurement, Measurement::counter);
  EXPECT_EQ(back.nodes[0].domains[0].info.attributes.count("source"), 0u);
  EXPECT_EQ(back.job.job_id, "42");
  EXPECT_EQ(back.job.extra.count("id"), 0u);
}

TEST(TraceFile, OlderTracesAndOtherWritersAttributesRead) {
  TempDir dir;
  const JobTrace trace = full_trace();
  testing::write_packed_trace(trace, dir / "t.h5");
  {  // as a trace from before the measurement attribute, edited by an h5py user
    hdf5::Handle file(H5Fopen((dir / "t.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    ASSERT_TRUE(file.valid());
    for (const char* path : {"/nodes/n1_a/energy_j/cpu", "/nodes/n1_a/energy_j/dram", "/nodes/n2/energy_j/cpu"}) {
      hdf5::Handle dataset(H5Dopen2(file.get(), path, H5P_DEFAULT), H5Dclose);
      ASSERT_TRUE(dataset.valid()) << path;
      ASSERT_GE(H5Adelete(dataset.get(), "measurement"), 0) << path;
    }
    hdf5::Handle gpu(H5Dopen2(file.get(), "/nodes/n1_a/energy_j/gpu0", H5P_DEFAULT), H5Dclose);
    hdf5::write_attribute(gpu.get(), "max_power_w", 300.5);
    hdf5::write_attribute(gpu.get(), "pcie_generation", 4LL);
    hdf5::write_attribute(file.get(), "job_exit_code", 3LL);
  }
  const JobTrace back = read_trace_file(dir / "t.h5", TraceRead::samples);
  EXPECT_EQ(back.nodes[0].domains[0].info.measurement, Measurement::counter);  // rapl
  EXPECT_EQ(back.nodes[0].domains[1].info.measurement, Measurement::model);    // model
  EXPECT_EQ(back.nodes[1].domains[0].info.measurement, Measurement::model);
  const auto& gpu = back.nodes[0].domains[2].info.attributes;
  EXPECT_EQ(gpu.at("max_power_w"), "300.5");
  EXPECT_EQ(gpu.at("pcie_generation"), "4");
  EXPECT_EQ(gpu.at("hwmon_chip"), "x");
  EXPECT_EQ(back.job.extra.at("exit_code"), "3");
}

TEST(TraceFile, RejectsWhatIsNotAnErgTrace) {
  TempDir dir;
  EXPECT_THROW(read_trace_file(dir / "missing.h5", TraceRead::samples), UsageError);
  std::ofstream(dir / "text.h5") << "not hdf5";
  EXPECT_THROW(read_trace_file(dir / "text.h5", TraceRead::samples), UsageError);
  EXPECT_THROW(read_trace_file(dir.path(), TraceRead::samples), UsageError);
}

TEST(TraceFile, UnwritablePathThrowsAndLeavesNothing) {
  JobTrace trace;
  EXPECT_THROW(testing::write_packed_trace(trace, "/nonexistent/dir/t.h5"), std::runtime_error);
}

}  // namespace erg
