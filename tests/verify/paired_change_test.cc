// The paired change a hypothesis is decided on, against values computed by hand (binomial tails) or from
// published tables (t quantiles), and a numerical integration of the t density (tests/verify reference
// values: see the comments at each case).
#include "verify/paired_change.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"

namespace caploop {
namespace {

PairedOutcome item(std::string key, int64_t bs, int64_t bc, int64_t cs, int64_t cc) {
  return PairedOutcome{std::move(key), bs, bc, cs, cc};
}

// 50 single-sample items: 2 lost (b), 10 gained (c), 38 unchanged.
std::vector<PairedOutcome> binary_items() {
  std::vector<PairedOutcome> items;
  for (int i = 0; i < 50; ++i) {
    std::string key = "t:" + std::to_string(100 + i);
    if (i < 2)
      items.push_back(item(key, 1, 1, 1, 0));
    else if (i < 12)
      items.push_back(item(key, 1, 0, 1, 1));
    else
      items.push_back(item(key, 1, i % 2, 1, i % 2));
  }
  return items;
}

TEST(PairedChangeTest, SingleSampleItemsUseMcNemarExactAndAgrestiMinBounds) {
  const auto items = binary_items();
  const PairedChange c = measure_paired_change(items, 0.05, 0.02);
  EXPECT_EQ(c.test, "mcnemar_exact");
  EXPECT_EQ(c.n, 50);
  EXPECT_DOUBLE_EQ(c.delta, 8.0 / 50.0);
  ASSERT_EQ(c.lost_items.size(), 2u);
  EXPECT_EQ(c.lost_items[0], "t:100");
  EXPECT_EQ(c.gained_items.size(), 10u);
  // P(X >= 10), P(X <= 10) for X ~ Binomial(12, 1/2): (66 + 12 + 1) / 4096 and 1 - (12 + 1) / 4096
  EXPECT_NEAR(c.p_improvement, 79.0 / 4096.0, 1e-12);
  EXPECT_NEAR(c.p_regression, 4083.0 / 4096.0, 1e-12);
  // Agresti-Min: b' = 2.5, c' = 10.5, m = 52, estimate 8/52, se^2 = (13 - 64/52) / 52^2, z_0.95 = 1.644854
  EXPECT_NEAR(c.bounds.lower, 0.04532911051389006, 1e-9);
  EXPECT_NEAR(c.bounds.upper, 0.26236319717841766, 1e-9);
  // 1 - Phi((8/52 + 0.02) / se)
  EXPECT_NEAR(c.p_noninferior, 0.004205828658063359, 1e-9);
}

TEST(PairedChangeTest, MultiSampleItemsUsePairedTOverItemMeans) {
  // 10 items with 4 samples each; per-item differences 0.25, 0.25, 0.5, 0, 0.25, 0.5, 0, 0.25, 0.25, 0.25
  const int base[] = {1, 2, 0, 3, 1, 2, 2, 0, 1, 3};
  const int cand[] = {2, 3, 2, 3, 2, 4, 2, 1, 2, 4};
  std::vector<PairedOutcome> items;
  for (int i = 0; i < 10; ++i) items.push_back(item("t:" + std::to_string(i), 4, base[i], 4, cand[i]));
  const PairedChange c = measure_paired_change(items, 0.05, 0.02);
  EXPECT_EQ(c.test, "paired_t");
  EXPECT_NEAR(c.delta, 0.25, 1e-12);
  // se = s / sqrt(10) = 0.0527046; t_{0.95, 9} = 1.833113 (Student's t table)
  EXPECT_NEAR(c.bounds.lower, 0.25 - 1.833113 * 0.05270462766947298, 1e-6);
  EXPECT_NEAR(c.bounds.upper, 0.25 + 1.833113 * 0.05270462766947298, 1e-6);
  // P(T_9 >= 4.7434) and P(T_9 >= (0.25 + 0.02) / se) by Simpson integration of the t density
  EXPECT_NEAR(c.p_improvement, 0.0005269356285076158, 1e-8);
  EXPECT_NEAR(c.p_regression, 1.0 - 0.0005269356285076158, 1e-8);
  EXPECT_NEAR(c.p_noninferior, 0.00031276904864343847, 1e-8);
  EXPECT_EQ(c.gained_items.size(), 8u);
  EXPECT_TRUE(c.lost_items.empty());
}

TEST(PairedChangeTest, IdenticalChangeOnEveryItemIsNotCertainty) {
  // Six items, none changed: the sample variance is 0, so the standard error is floored at 1/(2(n+1)) = 1/14
  // and the one-sided bounds are 0 -/+ t(0.95, 5) / 14 with t(0.95, 5) = 2.015048 (statistical tables).
  std::vector<PairedOutcome> items;
  for (int i = 0; i < 6; ++i) items.push_back(item("t:" + std::to_string(i), 4, 2, 4, 2));
  const PairedChange c = measure_paired_change(items, 0.05, 0.02);
  EXPECT_NEAR(c.bounds.lower, -2.015048 / 14.0, 1e-5);
  EXPECT_NEAR(c.bounds.upper, 2.015048 / 14.0, 1e-5);
  EXPECT_NEAR(c.p_improvement, 0.5, 1e-12);  // t = 0
  // t = 0.02 * 14 = 0.28 with 5 degrees of freedom: P(T >= 0.28) is about 0.395, far from showing the guard.
  EXPECT_GT(c.p_noninferior, 0.35);
  EXPECT_LT(c.p_noninferior, 0.45);
}

TEST(PairedChangeTest, TooFewItemsLeaveTheChangeUnbounded) {
  const PairedChange none = measure_paired_change({}, 0.05, 0.02);
  EXPECT_EQ(none.n, 0);
  EXPECT_EQ(none.bounds.lower, -1.0);
  EXPECT_EQ(none.bounds.upper, 1.0);
  EXPECT_EQ(none.p_improvement, 1.0);
  std::vector<PairedOutcome> one = {item("t:1", 4, 0, 4, 4)};
  const PairedChange c = measure_paired_change(one, 0.05, 0.02);
  EXPECT_EQ(c.delta, 1.0);
  EXPECT_EQ(c.bounds.lower, -1.0);
  EXPECT_EQ(c.bounds.upper, 1.0);
  EXPECT_EQ(c.p_improvement, 1.0);
}

TEST(PairedChangeTest, RejectsInconsistentCountsAndLevels) {
  std::vector<PairedOutcome> bad = {item("t:7", 4, 5, 4, 1)};
  try {
    measure_paired_change(bad, 0.05, 0.02);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.message().find("t:7"), std::string::npos);
  }
  EXPECT_THROW(measure_paired_change({}, 0.5, 0.02), Error);
  EXPECT_THROW(measure_paired_change({}, 0.05, -0.1), Error);
}

}  // namespace
}  // namespace caploop
