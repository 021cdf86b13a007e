#include "accounting/node_share_rule.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace erg {
namespace {

// A 4-CPU node, a 1 s interval, idle at 30 % of full power.
NodeInterval node_interval(double energy_j, double busy_cpu_s) { return {energy_j, 4.0, busy_cpu_s, 0.3, NAN}; }

double sum_of_shares(const NodeInterval& node, const std::vector<JobInterval>& jobs) {
  double total = 0;
  for (const auto& job : jobs) total += job_share_j(node, job);
  return total;
}

void expect_conserved(const NodeInterval& node, const std::vector<JobInterval>& jobs) {
  EXPECT_NEAR(sum_of_shares(node, jobs) + unallocated_j(node, jobs), node.energy_j, 1e-9 * node.energy_j);
}

TEST(NodeShareRule, StaticAndDynamicAddUpAndFollowUtilisation) {
  auto idle = split_static_dynamic(node_interval(100, 0));
  EXPECT_DOUBLE_EQ(idle.static_j, 100);  // an idle node draws only its static power
  EXPECT_DOUBLE_EQ(idle.dynamic_j, 0);
  auto full = split_static_dynamic(node_interval(100, 4));
  EXPECT_NEAR(full.static_j, 30, 1e-9);  // at full load, alpha of the power is static
  EXPECT_NEAR(full.static_j + full.dynamic_j, 100, 1e-9);
}

TEST(NodeShareRule, IdleNodeIsSharedByAllocation) {
  NodeInterval node = node_interval(40, 0);
  std::vector<JobInterval> jobs = {{1, 0}, {2, 0}};
  EXPECT_NEAR(job_share_j(node, jobs[0]), 10, 1e-9);
  EXPECT_NEAR(job_share_j(node, jobs[1]), 20, 1e-9);
  EXPECT_NEAR(unallocated_j(node, jobs), 10, 1e-9);
  expect_conserved(node, jobs);
}

TEST(NodeShareRule, OneJobHoldingTheWholeNodeUsingAllItsCpuTimePaysEverything) {
  NodeInterval node = node_interval(100, 3);
  std::vector<JobInterval> jobs = {{4, 3}};
  EXPECT_NEAR(job_share_j(node, jobs[0]), 100, 1e-9);
  EXPECT_NEAR(unallocated_j(node, jobs), 0, 1e-9);
}

TEST(NodeShareRule, OneJobOnOneCoreOfABusyNode) {
  NodeInterval node = node_interval(100, 2.5);  // the job's 1 CPU-s and 1.5 CPU-s of others
  std::vector<JobInterval> jobs = {{1, 1}};
  auto split = split_static_dynamic(node);
  EXPECT_NEAR(job_share_j(node, jobs[0]), split.static_j / 4 + split.dynamic_j / 2.5, 1e-9);
  expect_conserved(node, jobs);
}

TEST(NodeShareRule, ThreeJobsConserveTheNodeAndTheBusiestPaysMost) {
  for (double busy : {0.0, 0.5, 2.0, 3.9}) {
    NodeInterval node = node_interval(120, busy);
    // One core each; the first uses nothing, the second some, the third most of the busy time.
    std::vector<JobInterval> jobs = {{1, 0}, {1, busy * 0.2}, {1, busy * 0.7}};
    expect_conserved(node, jobs);
    EXPECT_LE(job_share_j(node, jobs[0]), job_share_j(node, jobs[1]));
    EXPECT_LE(job_share_j(node, jobs[1]), job_share_j(node, jobs[2]));
    EXPECT_GT(job_share_j(node, jobs[0]), 0);  // an idle job still holds its core
  }
}

TEST(NodeShareRule, AJobEndingMidIntervalPaysForTheTimeItHeldItsCores) {
  NodeInterval node = node_interval(100, 1.5);
  // Job A held 2 CPUs for half the interval (1 CPU-s) and used 0.5 CPU-s; job B 1 CPU all of it.
  std::vector<JobInterval> jobs = {{1.0, 0.5}, {1.0, 1.0}};
  auto split = split_static_dynamic(node);
  EXPECT_NEAR(job_share_j(node, jobs[0]), split.static_j * 0.25 + split.dynamic_j * (0.5 / 1.5), 1e-9);
  expect_conserved(node, jobs);
}

TEST(NodeShareRule, WhereEveryJobsCpuTimeIsKnownTheNodesOwnServicesPayNoDynamicPart) {
  NodeInterval node = node_interval(100, 2.5);
  node.jobs_cpu_s = 2.0;  // of the 2.5 busy CPU-s, 0.5 were slurmd and the system's own
  std::vector<JobInterval> jobs = {{2, 1.5}, {2, 0.5}};  // the whole node allocated
  auto split = split_static_dynamic(node);  // still from the node's real utilisation
  EXPECT_NEAR(job_share_j(node, jobs[0]), split.static_j / 2 + split.dynamic_j * 0.75, 1e-9);
  EXPECT_NEAR(unallocated_j(node, jobs), 0, 1e-9);
  expect_conserved(node, jobs);
}

TEST(NodeShareRule, ReadingsApartNeverChargeMoreThanTheNode) {
  NodeInterval node = node_interval(50, 1.0);
  JobInterval greedy{8, 3};  // more than the node: clamped to all of it
  EXPECT_LE(job_share_j(node, greedy), 50 + 1e-9);
  EXPECT_GE(unallocated_j(node, {greedy}), 0);
  NodeInterval broken{std::nan(""), 4, 1, 0.3, NAN};
  EXPECT_EQ(job_share_j(broken, {1, 1}), 0);
}

}  // namespace
}  // namespace erg
