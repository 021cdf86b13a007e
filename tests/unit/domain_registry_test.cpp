#include "sensors/domain_registry.hpp"

#include <gtest/gtest.h>

namespace erg {

TEST(DomainRegistry, AFixedNameIsClaimedOnce) {
  DomainRegistry domains;
  EXPECT_FALSE(domains.owner("cpu"));
  EXPECT_TRUE(domains.claim("cpu", "rapl"));
  EXPECT_EQ(domains.owner("cpu"), "rapl");
  EXPECT_FALSE(domains.claim("cpu", "model"));  // refused, and the first owner keeps it
  EXPECT_FALSE(domains.claim("cpu", "rapl"));   // a source claims each of its domains once
  EXPECT_EQ(domains.owner("cpu"), "rapl");
  EXPECT_TRUE(domains.claim("dram", "model"));
}

TEST(DomainRegistry, NumberedNamesContinueAcrossSources) {
  DomainRegistry domains;
  EXPECT_EQ(domains.claim_next("gpu", "nvml"), "gpu0");
  EXPECT_EQ(domains.claim_next("gpu", "nvml"), "gpu1");
  EXPECT_EQ(domains.claim_next("gpu", "rocm-smi"), "gpu2");
  EXPECT_EQ(domains.owner("gpu1"), "nvml");
  EXPECT_EQ(domains.owner("gpu2"), "rocm-smi");
  EXPECT_FALSE(domains.claim("gpu2", "nvml"));
}

TEST(DomainRegistry, NumberedNamesSkipFixedClaims) {
  DomainRegistry domains;
  EXPECT_TRUE(domains.claim("gpu0", "hwmon"));
  EXPECT_EQ(domains.claim_next("gpu", "nvml"), "gpu1");
  EXPECT_EQ(domains.claim_next("fan", "hwmon"), "fan0");  // each prefix counts on its own
}

TEST(DomainRegistry, CopiesAreIndependent) {
  // discover_node_sensors lets a source claim in a copy, kept only when the source succeeds.
  DomainRegistry domains;
  DomainRegistry attempt = domains;
  EXPECT_TRUE(attempt.claim("cpu", "rapl"));
  EXPECT_FALSE(domains.owner("cpu"));
}

}  // namespace erg
