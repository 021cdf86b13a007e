// Without MPI, each rank leaves marks of its own: the job assembler adds the items and
// metrics of ranks other than 0 to rank 0's phases (the MPI agent's rule), and counts the
// ranks of each node from them.
#include <gtest/gtest.h>

#include "aggregator/job_assembler.hpp"
#include "aggregator/job_marks.hpp"
#include "aggregator/rank_marks.hpp"

namespace erg {
namespace {

NodeSource node_source(const std::string& name) {
  NodeSource source;
  source.spool.header = {{"node", name}, {"start_unix_s", 1.7e9}, {"interval_s", 0.5}};
  source.spool.node.node = name;
  source.spool.node.time_s = {0, 1, 2};
  source.spool.node.domains.push_back({{"cpu", "rapl", ""}, {0, 10, 20}});
  source.spool.footer = spool::SpoolFooter{};
  return source;
}

JobMarks rank_marks(int rank, const std::string& node, std::uint64_t train_items, double accuracy) {
  JobMarks marks;
  marks.start_unix_s = 1.7e9;
  marks.n_ranks = 3;
  marks.rank = rank;
  marks.node = node;
  marks.phases = {{"train", "train", 0.1, 1.0, train_items}, {"eval", "inference", 1.0, 1.5, 10}};
  marks.metrics = {{"accuracy", accuracy, true}};
  return marks;
}

TEST(RankMarks, RoundTripThroughTheMarksFile) {
  JobMarks marks = parse_marks(marks_json(rank_marks(2, "n1", 5, 0.5)).dump());
  EXPECT_EQ(marks.rank, 2);
  EXPECT_EQ(marks.node, "n1");
  JobMarks rank0 = parse_marks(marks_json(rank_marks(0, "", 5, 0.5)).dump());
  EXPECT_EQ(rank0.rank, 0);
  EXPECT_EQ(rank0.node, "");
  EXPECT_THROW(parse_marks(R"({"format": "erg-marks", "start_unix_s": 1e9, "n_ranks": 2, "rank": -1,
                                "phases": [], "metrics": []})"),
               std::runtime_error);
}

TEST(RankMarks, OtherRanksAddItemsAndMetricsToRankZerosPhases) {
  JobSources sources;
  sources.nodes = {node_source("n0"), node_source("n1")};
  sources.marks = {rank_marks(2, "n1", 300, 0.9), rank_marks(0, "n0", 100, 0.9), rank_marks(1, "n0", 200, 0.8)};
  JobTrace trace = assemble_job(std::move(sources), JobInfo{}, CarbonSettings{});
  ASSERT_EQ(trace.phases.size(), 2u);  // rank 0's, once
  EXPECT_EQ(trace.phases[0].items, 600u);
  EXPECT_EQ(trace.phases[1].items, 30u);
  ASSERT_EQ(trace.metrics.size(), 2u);  // 0.9 once, 0.8
  EXPECT_EQ(trace.job.n_ranks, 3);
  EXPECT_EQ(trace.nodes[0].n_ranks, 2);
  EXPECT_EQ(trace.nodes[1].n_ranks, 1);
}

TEST(RankMarks, ARankWhosePhasesDifferAddsNothingFromTheDifferenceOn) {
  JobSources sources;
  sources.nodes = {node_source("n0")};
  JobMarks other = rank_marks(1, "n0", 200, 0.9);
  other.phases[1].name = "validate";
  sources.marks = {rank_marks(0, "n0", 100, 0.9), other};
  JobTrace trace = assemble_job(std::move(sources), JobInfo{}, CarbonSettings{});
  EXPECT_EQ(trace.phases[0].items, 300u);
  EXPECT_EQ(trace.phases[1].items, 10u);
  ASSERT_EQ(trace.notes.size(), 1u);
  EXPECT_NE(trace.notes[0].find("rank 1 marked other phases than rank 0"), std::string::npos);
}

TEST(RankMarks, WithoutRankZeroTheOthersAreLeftOutWithANote) {
  JobSources sources;
  sources.nodes = {node_source("n0")};
  sources.marks = {rank_marks(1, "n0", 200, 0.9)};
  JobTrace trace = assemble_job(std::move(sources), JobInfo{}, CarbonSettings{});
  EXPECT_TRUE(trace.phases.empty());
  ASSERT_EQ(trace.notes.size(), 1u);
  EXPECT_NE(trace.notes[0].find("no marks of rank 0"), std::string::npos);
}

}  // namespace
}  // namespace erg
