// Pre-registered hypotheses: the minimum detectable improvement solves the power equation of the paired test
// (Connor 1987) with the discordance of independent outcomes, and the hypotheses follow the mapped slices.
#include "mixture/plan_hypotheses.h"

#include <gtest/gtest.h>

#include <cmath>

namespace caploop {
namespace {

// z quantiles for one-sided alpha 0.05 and power 0.8 (standard normal tables).
constexpr double kZAlpha = 1.6448536269514722;
constexpr double kZBeta = 0.8416212335729143;

// delta sqrt(n) - z_a sqrt(psi) - z_b sqrt(psi - delta^2), psi for independent outcomes at p and p + delta.
double power_margin(int64_t n, double p, double delta) {
  const double psi = p * (1 - p - delta) + (p + delta) * (1 - p);
  return delta * std::sqrt(static_cast<double>(n)) - kZAlpha * std::sqrt(psi) -
         kZBeta * std::sqrt(std::max(0.0, psi - delta * delta));
}

TEST(MinimumDetectableImprovement, SolvesThePowerEquation) {
  for (int64_t n : {40, 120, 500}) {
    for (double p : {0.1, 0.4, 0.5, 0.8}) {
      const double d = minimum_detectable_improvement(n, p, 0.05, 0.8);
      ASSERT_TRUE(std::isfinite(d)) << n << " " << p;
      EXPECT_GT(d, 0);
      EXPECT_LE(d, 1 - p);
      EXPECT_NEAR(power_margin(n, p, d), 0.0, 1e-6) << n << " " << p;
    }
  }
  // At p = 0.5, psi = 0.5 whatever delta: for n = 100 the equation gives delta ~ 0.1740
  // (10 d = 1.6449 x 0.7071 + 0.8416 sqrt(0.5 - d^2)).
  EXPECT_NEAR(minimum_detectable_improvement(100, 0.5, 0.05, 0.8), 0.1740, 5e-4);
}

TEST(MinimumDetectableImprovement, ShrinksWithMoreItemsAndIsInfiniteWhenHopeless) {
  EXPECT_GT(minimum_detectable_improvement(50, 0.4, 0.05, 0.8), minimum_detectable_improvement(200, 0.4, 0.05, 0.8));
  EXPECT_GT(minimum_detectable_improvement(100, 0.4, 0.01, 0.8), minimum_detectable_improvement(100, 0.4, 0.05, 0.8));
  EXPECT_TRUE(std::isinf(minimum_detectable_improvement(3, 0.5, 0.05, 0.8)));
  EXPECT_TRUE(std::isinf(minimum_detectable_improvement(100, 1.0, 0.05, 0.8)));
  // From zero accuracy every gain is a discordant pair: detectable with enough items.
  EXPECT_TRUE(std::isfinite(minimum_detectable_improvement(100, 0.0, 0.05, 0.8)));
}

TEST(PlanHypotheses, OneTargetPerMappedSliceAndAGuard) {
  std::vector<PlanSlice> slices(3);
  slices[0] = {"S1", {"operation=counting"}, 120, 0.15, 0.4, 0.001, SliceStatus::kMapped, {"counting"}, {"t:1", "t:2"}};
  slices[1] = {"S2", {"output=integer"}, 50, 0.1, 0.6, 0.01, SliceStatus::kNotData, {"output-integer"}, {"t:3"}};
  slices[2] = {"S3", {"operation=algebra"}, 2, 0.2, 0.5, 0.02, SliceStatus::kMapped, {"algebra"}, {"t:4", "t:5"}};
  std::vector<PlanStream> streams(2);
  streams[0].name = "target:a";
  streams[0].links = {{"S1", "counting", "operation=counting", 1.0, 18.0}};
  streams[1].name = "target:b";
  streams[1].links = {{"S3", "algebra", "operation=algebra", 1.0, 0.2}, {"S1", "x", "operation=counting", 0.5, 9}};
  PlanOptions o;
  o.guard_margin = 0.03;
  std::vector<PlanHypothesis> h = plan_hypotheses(slices, streams, o);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].id, "H1");
  EXPECT_EQ(h[0].kind, "target");
  EXPECT_EQ(h[0].items, slices[0].items);
  EXPECT_EQ(h[0].streams, (std::vector<std::string>{"target:a", "target:b"}));
  EXPECT_DOUBLE_EQ(h[0].min_effect, minimum_detectable_improvement(120, 0.4, o.alpha, o.power));
  EXPECT_EQ(h[1].id, "H2");
  EXPECT_EQ(h[1].slice_tags, slices[2].tags);
  EXPECT_TRUE(std::isinf(h[1].min_effect));  // two items cannot show anything
  EXPECT_EQ(h[2].kind, "guard");
  EXPECT_EQ(h[2].slice_tags, std::vector<std::string>{"rest"});
  EXPECT_DOUBLE_EQ(h[2].margin, 0.03);
  EXPECT_NE(h[2].description.find("every other item of the runs"), std::string::npos);
}

}  // namespace
}  // namespace caploop
