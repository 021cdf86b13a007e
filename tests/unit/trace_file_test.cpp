#include "accounting/job_account.hpp"
#include "trace/trace_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "temp_dir.hpp"
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
  trace.carbon = {1.2, "given", 350, "given", "DEU"};
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
  write_trace_file(trace, trace_summary(account), dir / "t.h5");

  JobTrace back = read_trace_file(dir / "t.h5");
  EXPECT_EQ(back.job.job_id, "42");
  EXPECT_EQ(back.job.user, "alice");
  EXPECT_EQ(back.job.extra["partition"], "gpu");
  EXPECT_EQ(back.job.n_ranks, 4);
  EXPECT_DOUBLE_EQ(back.carbon.pue, 1.2);
  EXPECT_EQ(back.carbon.region, "DEU");
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

TEST(TraceFile, RejectsWhatIsNotAnErgTrace) {
  TempDir dir;
  EXPECT_THROW(read_trace_file(dir / "missing.h5"), UsageError);
  std::ofstream(dir / "text.h5") << "not hdf5";
  EXPECT_THROW(read_trace_file(dir / "text.h5"), UsageError);
  EXPECT_THROW(read_trace_file(dir.path()), UsageError);
}

TEST(TraceFile, UnwritablePathThrowsAndLeavesNothing) {
  JobTrace trace;
  EXPECT_THROW(write_trace_file(trace, trace_summary(account_job(trace)), "/nonexistent/dir/t.h5"), std::runtime_error);
}

}  // namespace erg
