#include "session/node_session.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "aggregator/job_assembler.hpp"
#include "simulated_powercap.hpp"
#include "spool/spool_directory.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

NodeSessionOptions options_for(const testing::SimulatedPowercap& powercap) {
  NodeSessionOptions options;
  options.sensors.powercap_root = powercap.root();
  options.sensors.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  options.sensors.rocm_smi_library = "/nonexistent/librocm_smi64.so";
  options.sensors.data_dir = ERG_TEST_DATA_DIR;
  options.node = "n7";
  options.interval_s = 0.01;
  options.flush_s = 0.05;
  options.origin_s = monotonic_now_s();
  options.start_unix_s = unix_now_s();
  options.job.job_id = "42";
  return options;
}

}  // namespace

TEST(NodeSession, StreamsToTheSpoolAndStopsWithAFinalRecord) {
  testing::SimulatedPowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 0);
  testing::TempDir dir;
  auto folder = spool::JobSpoolDirectory::create_at(dir / "job.spool");
  std::vector<std::string> said;
  NodeSession session(options_for(powercap), &folder, [&](const std::string& m) { said.push_back(m); });
  ASSERT_TRUE(session.spooled());
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  powercap.set_energy("intel-rapl:0", 5000000);  // 5 J
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  // Flushed while running: a killed job would keep this much.
  auto live = spool::parse_spool(*folder.read_file("n7.spool"), "n7.spool");
  EXPECT_GT(live.node.time_s.size(), 3u);
  EXPECT_FALSE(live.footer.has_value());
  session.stop("end");
  session.stop("again");  // idempotent

  spool::SpoolContents contents = session.contents();
  EXPECT_EQ(contents.node.node, "n7");
  ASSERT_TRUE(contents.footer.has_value());
  EXPECT_EQ(contents.footer->stopped_by, "end");
  EXPECT_GT(contents.footer->sampler_cpu_s, 0.0);
  ASSERT_NE(contents.node.domain("cpu"), nullptr);
  EXPECT_DOUBLE_EQ(contents.node.domain("cpu")->energy_j.back(), 5.0);
  EXPECT_EQ(contents.node.domain("cpu")->info.measurement, Measurement::counter);
  EXPECT_EQ(contents.header.value("job_id", ""), "42");
  EXPECT_TRUE(said.empty()) << said.front();
}

TEST(NodeSession, WithoutASpoolKeepsABoundedWindowInMemory) {
  testing::SimulatedPowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 0);
  NodeSession session(options_for(powercap), nullptr, [](const std::string&) {});
  EXPECT_FALSE(session.spooled());
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  powercap.set_energy("intel-rapl:0", 2000000);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  session.stop("end");
  spool::SpoolContents contents = session.contents();
  EXPECT_GT(contents.node.time_s.size(), 3u);
  EXPECT_DOUBLE_EQ(contents.node.domain("cpu")->energy_j.back(), 2.0);
  EXPECT_TRUE(contents.footer.has_value());
}

TEST(NodeSession, ASecondSessionOfTheSameNodeIsRefused) {
  testing::SimulatedPowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 0);
  testing::TempDir dir;
  auto folder = spool::JobSpoolDirectory::create_at(dir / "job.spool");
  NodeSession first(options_for(powercap), &folder, [](const std::string&) {});
  EXPECT_THROW(NodeSession(options_for(powercap), &folder, [](const std::string&) {}), SpoolLocked);
}

TEST(JobAssembler, AlignsNodesAndMarksOnTheEarliestStart) {
  auto node = [](const std::string& name, double start_unix_s, bool finished, bool live) {
    NodeSource source;
    source.spool.header = {{"node", name}, {"start_unix_s", start_unix_s}, {"interval_s", 0.5},
                           {"job_id", "7"}, {"job", {{"name", "train"}, {"user", "ada"}}}};
    source.spool.node.node = name;
    source.spool.node.time_s = {0, 1, 2};
    source.spool.node.domains.push_back({{"cpu", "rapl", ""}, {0, 10, 20}});
    if (finished) source.spool.footer = spool::SpoolFooter{};
    source.still_written = live;
    source.n_ranks = 2;
    return source;
  };
  JobSources sources;
  sources.nodes.push_back(node("b", 1000.5, false, true));
  sources.nodes.push_back(node("a", 1000.0, true, false));
  sources.nodes.push_back(node("c", 1000.0, false, false));
  JobMarks marks;
  marks.start_unix_s = 1001.0;
  marks.phases = {{"train", "train", 0, 1, 5}};
  marks.open_phase = Phase{"eval", "inference", 1.2, 0, 0};
  sources.marks.push_back(marks);
  JobTrace trace = assemble_job(std::move(sources), JobInfo{}, CarbonSettings{});
  ASSERT_EQ(trace.nodes.size(), 3u);
  EXPECT_EQ(trace.nodes[0].node, "a");  // in name order
  EXPECT_EQ(trace.nodes[1].time_s, (std::vector<double>{0.5, 1.5, 2.5}));
  EXPECT_DOUBLE_EQ(trace.job.duration_s, 2.5);
  EXPECT_EQ(trace.job.job_id, "7");
  EXPECT_EQ(trace.job.user, "ada");
  EXPECT_EQ(trace.job.n_ranks, 6);
  EXPECT_DOUBLE_EQ(trace.interval_s, 0.5);
  ASSERT_EQ(trace.phases.size(), 2u);
  EXPECT_DOUBLE_EQ(trace.phases[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(trace.phases[1].end_s, 2.5);  // still open: ends at the last sample
  auto has = [](const NodeTrace& n, const std::string& text) {
    for (const auto& note : n.notes)
      if (note.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_FALSE(has(trace.nodes[0], "stopped hard"));
  EXPECT_TRUE(has(trace.nodes[1], "still running"));
  EXPECT_FALSE(has(trace.nodes[1], "stopped hard"));
  EXPECT_TRUE(has(trace.nodes[2], "stopped hard"));
}

}  // namespace erg
