// The seeded generators against the reference algorithms: SplitMix64 from seed 0 starts 0xe220a8397b1dcdaf,
// 0x6e789e6aa1b965f4, 0x06c45d188009454f (the sequence of Vigna's splitmix64.c); the xoshiro256** values
// come from a transcription of Blackman and Vigna's xoshiro256starstar.c in tests/stats/reference_values.py.
#include "stats/random.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(RandomTest, SplitMix64ReferenceSequence) {
  SplitMix64 g(0);
  EXPECT_EQ(g.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(g.next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(g.next(), 0x06c45d188009454fULL);
}

TEST(RandomTest, Xoshiro256StarStarReferenceSequence) {
  Xoshiro256StarStar g(0);
  EXPECT_EQ(g.next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(g.next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(g.next(), 0x1a5f849d4933e6e0ULL);
}

TEST(RandomTest, UniformIsInUnitIntervalWithTheRightMean) {
  Xoshiro256StarStar g(42);
  double sum = 0;
  int ones = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = g.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    ones += g.bit() ? 1 : 0;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);  // sd of the mean 0.0009
  EXPECT_NEAR(ones, 50000, 700);          // sd 158
}

}  // namespace
}  // namespace caploop
