// Every branch of the verification rules (verify/hypothesis_decision.h), on changes whose bounds and
// p-values are set by hand so that each case sits on one side of each threshold.
#include <gtest/gtest.h>

#include <limits>

#include "verify/hypothesis_decision.h"

namespace caploop {
namespace {

PairedChange change(double delta, double lower, double upper, double p_regression = 0.5) {
  PairedChange c;
  c.n = 40;
  c.base_accuracy = 0.4;
  c.cand_accuracy = 0.4 + delta;
  c.delta = delta;
  c.bounds = Interval{lower, upper};
  c.p_regression = p_regression;
  c.test = "paired_t";
  return c;
}

TEST(TargetRuleTest, SignificantAndAtLeastTheMinimumEffectIsConfirmed) {
  const Decision d = decide_target(change(0.30, 0.20, 0.40), 0.001, 0.05, 0.25);
  EXPECT_EQ(d.result, VerifyResult::kConfirmed);
  EXPECT_EQ(d.rule, "significant_improvement");
  EXPECT_NE(d.reason.find("+30.0"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("+25.0"), std::string::npos) << d.reason;
}

TEST(TargetRuleTest, SignificantButSmallerThanPlannedIsNotConfirmed) {
  // q passes, delta 0.20 < 0.25, upper 0.28 still allows 0.25
  const Decision d = decide_target(change(0.20, 0.12, 0.28), 0.001, 0.05, 0.25);
  EXPECT_EQ(d.result, VerifyResult::kInconclusive);
  EXPECT_EQ(d.rule, "undecided");
  // ... and with an upper bound below the planned effect it is refuted, significant or not
  EXPECT_EQ(decide_target(change(0.20, 0.15, 0.24), 0.001, 0.05, 0.25).result, VerifyResult::kRefuted);
}

TEST(TargetRuleTest, UpperBoundBelowTheMinimumEffectRefutes) {
  const Decision d = decide_target(change(0.01, -0.03, 0.05), 0.4, 0.05, 0.25);
  EXPECT_EQ(d.result, VerifyResult::kRefuted);
  EXPECT_EQ(d.rule, "upper_bound_below_min_effect");
  EXPECT_NE(d.reason.find("+5.0"), std::string::npos) << d.reason;
}

TEST(TargetRuleTest, LargeButNotSignificantAfterAdjustmentIsInconclusive) {
  const Decision d = decide_target(change(0.30, -0.05, 0.65), 0.08, 0.05, 0.25);
  EXPECT_EQ(d.result, VerifyResult::kInconclusive);
  EXPECT_NE(d.reason.find("q = 0.08"), std::string::npos) << d.reason;
}

TEST(TargetRuleTest, NoItemsOrNoFiniteMinimumEffectIsInconclusive) {
  PairedChange empty;
  EXPECT_EQ(decide_target(empty, 1.0, 0.05, 0.2).rule, "no_items");
  const Decision d = decide_target(change(0.3, 0.2, 0.4), 0.001, 0.05, std::numeric_limits<double>::infinity());
  EXPECT_EQ(d.result, VerifyResult::kInconclusive);
  EXPECT_EQ(d.rule, "no_min_effect");
}

TEST(GuardRuleTest, LowerBoundAboveMinusMarginHolds) {
  const Decision d = decide_guard(change(-0.005, -0.015, 0.005), 0.05, 0.02);
  EXPECT_EQ(d.result, VerifyResult::kConfirmed);
  EXPECT_EQ(d.rule, "lower_bound_above_margin");
}

TEST(GuardRuleTest, UpperBoundBelowMinusMarginIsARegression) {
  const Decision d = decide_guard(change(-0.10, -0.14, -0.06, 0.0001), 0.05, 0.02);
  EXPECT_EQ(d.result, VerifyResult::kRefuted);
  EXPECT_EQ(d.rule, "upper_bound_below_margin");
  EXPECT_NE(d.reason.find("guard regression"), std::string::npos);
}

TEST(GuardRuleTest, SignificantLossBeyondTheMarginIsARegressionEvenWhenTheUpperBoundIsNotBelowIt) {
  // delta -3 points, beyond the 2-point margin; upper bound -1 point is above -2; the loss itself is significant
  const Decision d = decide_guard(change(-0.03, -0.05, -0.01, 0.01), 0.05, 0.02);
  EXPECT_EQ(d.result, VerifyResult::kRefuted);
  EXPECT_EQ(d.rule, "significant_regression_beyond_margin");
  // the same numbers with a loss that is not significant stay undecided
  EXPECT_EQ(decide_guard(change(-0.03, -0.05, -0.01, 0.2), 0.05, 0.02).result, VerifyResult::kInconclusive);
}

TEST(GuardRuleTest, BoundsStraddlingTheMarginAreInconclusive) {
  const Decision d = decide_guard(change(-0.01, -0.04, 0.02, 0.2), 0.05, 0.02);
  EXPECT_EQ(d.result, VerifyResult::kInconclusive);
  EXPECT_EQ(d.rule, "undecided");
}

Decision overall(std::initializer_list<HypothesisOutcome> outcomes) {
  std::vector<HypothesisOutcome> v(outcomes);
  return decide_overall(v);
}

constexpr auto C = VerifyResult::kConfirmed;
constexpr auto R = VerifyResult::kRefuted;
constexpr auto I = VerifyResult::kInconclusive;

TEST(OverallRuleTest, FollowsTheDocumentedTable) {
  EXPECT_EQ(overall({{"H1", false, C}, {"H2", true, C}}).result, C);
  EXPECT_EQ(overall({{"H1", false, C}, {"H2", true, C}}).rule, "all_confirmed");
  // a guard that is only inconclusive keeps the overall verdict from being confirmed
  EXPECT_EQ(overall({{"H1", false, C}, {"H2", true, I}}).result, I);
  // any refuted guard refutes, whatever the targets did
  const Decision g = overall({{"H1", false, C}, {"H2", false, C}, {"H3", true, R}});
  EXPECT_EQ(g.result, R);
  EXPECT_EQ(g.rule, "guard_refuted");
  EXPECT_NE(g.reason.find("H3"), std::string::npos);
  // all targets refuted refutes; some refuted is mixed
  EXPECT_EQ(overall({{"H1", false, R}, {"H2", false, R}, {"H3", true, C}}).rule, "all_targets_refuted");
  EXPECT_EQ(overall({{"H1", false, R}, {"H2", false, C}, {"H3", true, C}}).result, I);
  EXPECT_EQ(overall({{"H1", false, R}, {"H2", false, C}, {"H3", true, C}}).rule, "mixed");
  EXPECT_EQ(overall({{"H3", true, C}}).rule, "no_targets");
  // targets confirmed with no guard at all: every guard (none) holds
  EXPECT_EQ(overall({{"H1", false, C}}).result, C);
}

TEST(OverallRuleTest, ResultNames) {
  EXPECT_EQ(verify_result_name(C), "confirmed");
  EXPECT_EQ(verify_result_name(R), "refuted");
  EXPECT_EQ(verify_result_name(I), "inconclusive");
}

}  // namespace
}  // namespace caploop
