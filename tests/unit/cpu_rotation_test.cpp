#include "sampler/cpu_rotation.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <thread>

namespace erg {

namespace {

cpu_set_t own_affinity() {
  cpu_set_t set;
  CPU_ZERO(&set);
  pthread_getaffinity_np(pthread_self(), sizeof(cpu_set_t), &set);
  return set;
}

}  // namespace

// On a thread of its own, so that the test runner's affinity stays as it was.
TEST(CpuRotation, MovesOffTheCurrentCpuAndKeepsEveryCpuAllowed) {
  cpu_set_t runner = own_affinity();
  if (CPU_COUNT(&runner) < 2) GTEST_SKIP() << "needs two CPUs";
  std::thread([] {
    cpu_set_t before = own_affinity();
    CpuRotation rotation;
    for (int move = 0; move < 4; ++move) {
      int from = sched_getcpu();
      rotation.move_on();
      cpu_set_t now = own_affinity();
      EXPECT_NE(sched_getcpu(), from);
      EXPECT_TRUE(CPU_EQUAL(&now, &before));
    }
  }).join();
}

TEST(CpuRotation, ThreadBoundToOneCpuStaysThere) {
  std::thread([] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), &one), 0);
    CpuRotation rotation;
    rotation.move_on();
    cpu_set_t now = own_affinity();
    EXPECT_TRUE(CPU_EQUAL(&now, &one));
  }).join();
}

}  // namespace erg
