#include <gtest/gtest.h>
#include <unistd.h>

#include "sensors/models/cpu_model_sensor.hpp"
#include "sensors/models/cpu_tdp.hpp"
#include "sensors/models/dram_model_sensor.hpp"
#include "sensors/node_sensors.hpp"
#include "simulated_powercap.hpp"
#include "temp_dir.hpp"

namespace erg {

using testing::TempDir;

namespace {

// A procfs stand-in: /stat and /<pid>/stat with the fields the models read.
void write_process(const TempDir& proc, int pid, int ppid, long utime, long stime, long rss_pages) {
  std::string fields = std::to_string(pid) + " (job (x)) S " + std::to_string(ppid) + " 0 0 0 0 0 0 0 0 0 " +
                       std::to_string(utime) + " " + std::to_string(stime) + " 0 0 20 0 1 0 0 0 " +
                       std::to_string(rss_pages) + " 0\n";
  proc.write(std::to_string(pid) + "/stat", fields);
}

}  // namespace

TEST(CpuModelSensor, IsTdpTimesTheJobShareOfCpuTime) {
  TempDir proc;
  write_process(proc, 10, 1, 50, 0, 0);
  write_process(proc, 11, 10, 50, 0, 0);   // a child of the job
  write_process(proc, 12, 1, 500, 0, 0);   // not the job's
  auto tree = std::make_shared<ProcessTree>(fixed_roots({10}), proc.path());
  CpuTdp tdp;
  tdp.tdp_w = 100;
  tdp.logical_cpus = 5;
  CpuModelSensor sensor(tdp, tree);
  EXPECT_EQ(sensor.domains()[0].source, "model");
  std::vector<double> e(1);
  sensor.read(1.0, e);
  EXPECT_DOUBLE_EQ(e[0], 0.0);
  write_process(proc, 10, 1, 100, 50, 0);  // +100 ticks
  write_process(proc, 11, 10, 150, 0, 0);  // +100 ticks
  write_process(proc, 12, 1, 1200, 0, 0);
  sensor.read(3.0, e);
  EXPECT_NEAR(e[0], 100 * 0.2 * 2.0, 1e-9);  // 2 CPU-s of the 5 CPUs x 2 s
}

// procfs counts whole ticks: a read may see more CPU time than the node had since the last
// one, the next read less. Capping each read would lose the difference; capping the total
// keeps it, and the energy never exceeds TDP x time.
TEST(CpuModelSensor, TickRoundingIsCappedOnTheTotalAndNotLost) {
  TempDir proc;
  long ticks_per_s = sysconf(_SC_CLK_TCK);
  write_process(proc, 10, 1, 0, 0, 0);
  CpuTdp tdp;
  tdp.tdp_w = 100;
  tdp.logical_cpus = 1;
  CpuModelSensor sensor(tdp, std::make_shared<ProcessTree>(fixed_roots({10}), proc.path()));
  std::vector<double> e(1);
  sensor.read(0.0, e);
  write_process(proc, 10, 1, ticks_per_s, 0, 0);  // 1 CPU-s seen after 0.5 s
  sensor.read(0.5, e);
  EXPECT_NEAR(e[0], 50.0, 1e-9);
  sensor.read(1.0, e);  // nothing new: the rest counts now
  EXPECT_NEAR(e[0], 100.0, 1e-9);
}

TEST(DramModelSensor, IsWattsPerGigabyteOfResidentMemory) {
  TempDir proc;
  long pages = static_cast<long>(1e9 / static_cast<double>(sysconf(_SC_PAGESIZE)));
  write_process(proc, 20, 1, 0, 0, pages);
  auto tree = std::make_shared<ProcessTree>(fixed_roots({20}), proc.path());
  DramModelSensor sensor(0.375, tree);
  std::vector<double> e(1);
  sensor.read(0.0, e);
  sensor.read(10.0, e);
  double gb = static_cast<double>(pages * sysconf(_SC_PAGESIZE)) / 1e9;
  EXPECT_NEAR(e[0], 0.375 * gb * 10.0, 1e-9);
}

TEST(CpuTdp, MatchesTheModelNameAndCountsSockets) {
  TempDir dir;
  dir.write("cpuinfo",
            "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz\nphysical id\t: 0\n\n"
            "processor\t: 1\nmodel name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz\nphysical id\t: 1\n");
  CpuTdp tdp = lookup_cpu_tdp(ERG_TEST_DATA_DIR, dir / "cpuinfo");
  EXPECT_EQ(tdp.sockets, 2);
  EXPECT_DOUBLE_EQ(tdp.tdp_w, 300.0);  // Intel Xeon Gold 6148: 150 W, not the 6148F
  EXPECT_NE(tdp.source.find("Intel Xeon Gold 6148"), std::string::npos);
}

TEST(CpuTdp, AmdEpyc) {
  TempDir dir;
  dir.write("cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 7742 64-Core Processor\nphysical id\t: 0\n");
  EXPECT_DOUBLE_EQ(lookup_cpu_tdp(ERG_TEST_DATA_DIR, dir / "cpuinfo").tdp_w, 225.0);
}

TEST(CpuTdp, UnknownModelGetsTheDocumentedPerCoreDefault) {
  TempDir dir;
  dir.write("cpuinfo", "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nprocessor\t: 1\nprocessor\t: 2\n");
  CpuTdp tdp = lookup_cpu_tdp(ERG_TEST_DATA_DIR, dir / "cpuinfo");
  EXPECT_DOUBLE_EQ(tdp.tdp_w, 3 * default_core_tdp_w);
  EXPECT_NE(tdp.source.find("Green Algorithms"), std::string::npos);
}

TEST(NodeSensors, FallsBackToModelsWithoutRapl) {
  SensorSettings settings;
  settings.powercap_root = "/nonexistent";
  settings.data_dir = ERG_TEST_DATA_DIR;
  NodeSensors node = discover_node_sensors(settings);
  ASSERT_EQ(node.sensors.size(), 2u);
  EXPECT_EQ(node.sensors[0]->domains()[0].name, "cpu");
  EXPECT_EQ(node.sensors[0]->domains()[0].source, "model");
  EXPECT_EQ(node.sensors[1]->domains()[0].name, "dram");
  EXPECT_EQ(node.sensors[1]->domains()[0].source, "model");
}

TEST(NodeSensors, ModelsFillOnlyTheDomainsNoCounterClaimed) {
  testing::SimulatedPowercap pc;
  pc.add_zone("intel-rapl:0", "package-0", 0);  // cpu by RAPL, no dram zone
  SensorSettings settings;
  settings.powercap_root = pc.root();
  settings.data_dir = ERG_TEST_DATA_DIR;
  settings.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  settings.rocm_smi_library = "/nonexistent/librocm_smi64.so";
  NodeSensors node = discover_node_sensors(settings);
  ASSERT_EQ(node.sensors.size(), 2u);
  EXPECT_EQ(node.sensors[0]->domains()[0].name, "cpu");
  EXPECT_EQ(node.sensors[0]->domains()[0].measurement, Measurement::counter);
  EXPECT_EQ(node.sensors[1]->domains()[0].name, "dram");
  EXPECT_EQ(node.sensors[1]->domains()[0].measurement, Measurement::model);
  bool cpu_model_left_out = false;
  for (const auto& p : node.probes)
    if (p.domain == "cpu" && p.source == "model")
      cpu_model_left_out = p.status == "not counted" && p.detail.find("rapl") != std::string::npos;
  EXPECT_TRUE(cpu_model_left_out);
}

}  // namespace erg

namespace erg {
namespace {

// cutime = the ticks of reaped children, as procfs field 16 holds them.
void write_process_with_children(const TempDir& proc, int pid, int ppid, long utime, long cutime) {
  proc.write(std::to_string(pid) + "/stat", std::to_string(pid) + " (p) S " + std::to_string(ppid) +
                                                " 0 0 0 0 0 0 0 0 0 " + std::to_string(utime) + " 0 " +
                                                std::to_string(cutime) + " 0 20 0 1 0 0 0 10 0\n");
}

void end_process(const TempDir& proc, int pid) { proc.write(std::to_string(pid) + "/stat", ""); }

TEST(ProcessTree, AProcessThatEndsTakesNothingBackAndTheOthersCountAtOnce) {
  // Every job's processes on a node (a shared node's basis): one job ends, another goes on.
  TempDir proc;
  write_process_with_children(proc, 10, 1, 500, 0);
  write_process_with_children(proc, 20, 1, 100, 0);
  std::vector<pid_t> roots = {10, 20};
  ProcessTree tree([&] { return roots; }, proc.path());
  EXPECT_EQ(tree.usage_at(1.0).job_cpu_ticks, 600);
  end_process(proc, 10);
  roots = {20};
  write_process_with_children(proc, 20, 1, 150, 0);
  EXPECT_EQ(tree.usage_at(2.0).job_cpu_ticks, 650);  // not held at 600 until 20 passes 600
}

TEST(ProcessTree, AChildReapedByAMemberIsCountedOnce) {
  TempDir proc;
  write_process_with_children(proc, 30, 1, 0, 0);
  write_process_with_children(proc, 31, 30, 200, 0);
  ProcessTree tree([] { return std::vector<pid_t>{30}; }, proc.path());
  EXPECT_EQ(tree.usage_at(1.0).job_cpu_ticks, 200);
  end_process(proc, 31);  // 31 used 10 more ticks before it ended; 30 reaped it
  write_process_with_children(proc, 30, 1, 5, 210);
  EXPECT_EQ(tree.usage_at(2.0).job_cpu_ticks, 215);  // 200 + its last 10 + 30's own 5
}

}  // namespace
}  // namespace erg
