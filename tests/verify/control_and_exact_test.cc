// The parts verification gained for small benchmarks and control arms: combining the decision against the
// baseline with the one against the control (verify/hypothesis_decision.h), the exact intervals
// (verify/exact_change_interval.h; closed forms and a seeded coverage simulation) and pass@k changes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "verify/exact_change_interval.h"
#include "verify/hypothesis_decision.h"
#include "verify/paired_change.h"

namespace caploop {
namespace {

Decision d(VerifyResult r) { return Decision{r, "x", "y"}; }
constexpr VerifyResult kC = VerifyResult::kConfirmed;
constexpr VerifyResult kR = VerifyResult::kRefuted;
constexpr VerifyResult kI = VerifyResult::kInconclusive;

TEST(ControlRuleTest, ATargetIsConfirmedOnlyWhenItBeatsTheControl) {
  EXPECT_EQ(combine_with_control(d(kC), d(kC), false).result, kC);
  EXPECT_EQ(combine_with_control(d(kC), d(kC), false).rule, "beats_control");
  EXPECT_EQ(combine_with_control(d(kI), d(kC), false).result, kC);
  // gained as planned against the baseline, but so did the control
  EXPECT_EQ(combine_with_control(d(kC), d(kR), false).result, kR);
  EXPECT_EQ(combine_with_control(d(kC), d(kR), false).rule, "control_gained_as_much");
  EXPECT_EQ(combine_with_control(d(kC), d(kI), false).result, kI);
  // ahead of a control that fell, without gaining on the baseline
  EXPECT_EQ(combine_with_control(d(kR), d(kC), false).result, kI);
  EXPECT_EQ(combine_with_control(d(kR), d(kC), false).rule, "control_lost_ground");
}

TEST(ControlRuleTest, AGuardMustHoldAgainstBothRuns) {
  EXPECT_EQ(combine_with_control(d(kC), d(kC), true).result, kC);
  EXPECT_EQ(combine_with_control(d(kC), d(kR), true).result, kR);
  EXPECT_EQ(combine_with_control(d(kR), d(kC), true).result, kR);
  EXPECT_EQ(combine_with_control(d(kC), d(kI), true).result, kI);
  EXPECT_EQ(combine_with_control(d(kI), d(kC), true).result, kI);
  // the reason names both comparisons
  const Decision both = combine_with_control(Decision{kC, "a", "BASE"}, Decision{kR, "b", "CTRL"}, true);
  EXPECT_NE(both.reason.find("against the control: CTRL"), std::string::npos);
  EXPECT_NE(both.reason.find("against the baseline: BASE"), std::string::npos);
}

TEST(ExactIntervalTest, NoDiscordantItemsBoundTheChangeByTheClopperPearsonDiscordanceRate) {
  // 0 of 30 discordant: D <= 1 - (alpha/2)^(1/30) at confidence 1 - alpha (Clopper-Pearson with k = 0)
  const Interval i = exact_binary_change_interval(0, 0, 30, 0.05);
  const double upper = 1.0 - std::pow(0.025, 1.0 / 30.0);
  EXPECT_NEAR(i.upper, upper, 1e-6);
  EXPECT_NEAR(i.lower, -upper, 1e-6);
}

TEST(ExactIntervalTest, AllDiscordantItemsGainedGivesALowerBoundFromBothIntervals) {
  // 10 of 10 items gained: theta >= (alpha/2)^(1/10) and D >= (alpha/2)^(1/10)
  const Interval i = exact_binary_change_interval(0, 10, 10, 0.05);
  const double cp = std::pow(0.025, 1.0 / 10.0);
  EXPECT_NEAR(i.lower, cp * (2 * cp - 1), 1e-6);
  EXPECT_DOUBLE_EQ(i.upper, 1.0);
}

// Uniform in [0, 1) from the raw bits of a fixed generator: the same sequence on every platform.
double uniform(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

TEST(ExactIntervalTest, BinaryIntervalCoversTheTrueChangeAtLeastAtItsLevelOnAIMESizedSamples) {
  // 30 items, P(lost) = 0.10, P(gained) = 0.25, true delta = 0.15; 2000 seeded replications.
  std::mt19937_64 g(20261206);
  const int reps = 2000;
  int covered = 0;
  for (int r = 0; r < reps; ++r) {
    int64_t lost = 0, gained = 0;
    for (int i = 0; i < 30; ++i) {
      const double u = uniform(g);
      lost += u < 0.10;
      gained += u >= 0.10 && u < 0.35;
    }
    const Interval ci = exact_binary_change_interval(lost, gained, 30, 0.05);
    covered += ci.contains(0.15);
  }
  // nominal 90% two-sided; exact means at least that (a binomial sd of the rate is 0.7 points)
  EXPECT_GE(static_cast<double>(covered) / reps, 0.90);
}

TEST(ExactIntervalTest, SignFlipIntervalOfIdenticalChangesIsThatChange) {
  // 10 items, every one +0.5: any shift below 0.5 leaves only the all-positive pattern as extreme, p = 2^-10
  const std::vector<double> same(10, 0.5);
  const Interval i = sign_flip_change_interval(same, 0.05);
  EXPECT_NEAR(i.lower, 0.5, 1e-3);
  EXPECT_NEAR(i.upper, 0.5, 1e-3);
}

TEST(ExactIntervalTest, SignFlipIntervalHoldsTheMeanAndIsWiderWithFewerItems) {
  const std::vector<double> many = {0.25, -0.125, 0.5,   0.0,   0.375,  0.125, 0.25, -0.25, 0.5,   0.125,
                                    0.25, 0.0,    0.375, 0.125, -0.125, 0.25,  0.5,  0.0,   0.125, 0.25};
  const std::vector<double> few(many.begin(), many.begin() + 10);
  double mean = 0;
  for (double x : many) mean += x;
  mean /= static_cast<double>(many.size());
  const Interval wide = sign_flip_change_interval(few, 0.05);
  const Interval narrow = sign_flip_change_interval(many, 0.05);
  EXPECT_TRUE(narrow.contains(mean));
  EXPECT_GT(narrow.lower, 0.0);
  EXPECT_GT(wide.width(), narrow.width());
}

TEST(PassAtKChangeTest, PassAtEightMovesWhenAccuracyBarelyDoes) {
  // 20 items of 8 samples: before, 10 items never solved and 10 solved 4 times; after, the unsolved ones are
  // solved once and the others lose one sample: accuracy +0 / pass@8 +0.5.
  std::vector<PairedOutcome> items;
  for (int i = 0; i < 20; ++i) {
    const bool unsolved = i < 10;
    items.push_back(PairedOutcome{"t:" + std::to_string(i), 8, unsolved ? 0 : 4, 8, unsolved ? 1 : 3});
  }
  const PairedChange acc = measure_paired_change(items, 0.05, 0.0);
  EXPECT_NEAR(acc.delta, 0.0, 1e-12);
  EXPECT_EQ(acc.metric, "accuracy");
  const PairedChange p8 = measure_paired_change(items, 0.05, 0.0, 8);
  EXPECT_EQ(p8.metric, "pass@8");
  EXPECT_EQ(p8.test, "paired_t");
  EXPECT_NEAR(p8.base_accuracy, 0.5, 1e-12);  // pass@8 of 4 right of 8 is 1
  EXPECT_NEAR(p8.cand_accuracy, 1.0, 1e-12);
  EXPECT_NEAR(p8.delta, 0.5, 1e-12);
  EXPECT_LT(p8.p_improvement, 0.01);
  EXPECT_GT(p8.exact_bounds.lower, 0.0);
  // items with fewer samples than k are left out and counted
  items.push_back(PairedOutcome{"t:short", 4, 1, 4, 2});
  EXPECT_EQ(measure_paired_change(items, 0.05, 0.0, 8).short_items, 1);
  EXPECT_EQ(measure_paired_change(items, 0.05, 0.0, 8).n, 20);
}

}  // namespace
}  // namespace caploop
