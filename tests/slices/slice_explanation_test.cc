// explain_minimally on hand-made item sets with a test whose answer is known: items 0..99 lost (effect -1 each),
// 100..999 unchanged. The test's p is 0 when the residual's mean effect is below -0.2 (with enough items), 1
// otherwise, so every decision can be checked by hand.
#include "slices/slice_explanation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "core/error.h"

namespace caploop {
namespace {

std::vector<uint32_t> range(uint32_t from, uint32_t to) {
  std::vector<uint32_t> out(to - from);
  std::iota(out.begin(), out.end(), from);
  return out;
}

ResidualEffect mean_loss(std::span<const uint32_t> items) {
  double lost = 0;
  for (uint32_t i : items) lost += i < 100 ? 1.0 : 0.0;
  const double n = static_cast<double>(items.size());
  ResidualEffect e;
  e.n = static_cast<int64_t>(items.size());
  e.effect = -lost / n;
  e.standard_error = 0.5 / std::sqrt(n);
  e.ci = Interval{e.effect - 0.1, e.effect + 0.1};
  e.p_value = (e.effect < -0.2 && items.size() >= 10) ? 0.0 : 1.0;
  return e;
}

TEST(SliceExplanation, AncestorsAliasesAndDescendantsAreListedUnderTheFinding) {
  // Ranked: a broad ancestor first (items 0..299: one third lost), the planted set, an alias of it, a part of it.
  const std::vector<std::vector<uint32_t>> ranked = {range(0, 300), range(0, 100), range(0, 100), range(0, 50)};
  const SliceExplanation x = explain_minimally(ranked, 1000, mean_loss, 0.05, FdrMethod::kBenjaminiHochberg, -1);
  ASSERT_EQ(x.findings.size(), 1u);
  // The ancestor came first but the planted set concentrates its loss: the planted set is the finding.
  EXPECT_EQ(ranked[x.findings[0].candidate].size(), 100u);
  EXPECT_EQ(x.findings[0].residual.n, 100);
  EXPECT_LE(x.findings[0].residual_q, 0.05);
  std::map<std::string, int> relations;
  for (const ExplainedCandidate& e : x.findings[0].explains) {
    ++relations[e.relation];
    EXPECT_GT(e.residual_q, 0.05);
    if (e.relation == "ancestor") {
      EXPECT_EQ(e.overlap, 100);
      EXPECT_EQ(e.residual.n, 200);  // its items no finding covers
    }
  }
  EXPECT_EQ(relations["ancestor"], 1);
  EXPECT_EQ(relations["alias"], 1);
  EXPECT_EQ(relations["descendant"], 1);
  EXPECT_TRUE(x.not_significant.empty());
}

TEST(SliceExplanation, TwoDisjointLossesAreTwoFindingsAndTheirUnionIsExplained) {
  // The lost items 0..99 as a union ranked before its two parts (0..39, 40..99), and an unchanged slice.
  const std::vector<std::vector<uint32_t>> ranked = {range(0, 100), range(0, 40), range(40, 100), range(100, 400)};
  const SliceExplanation x = explain_minimally(ranked, 1000, mean_loss, 0.05, FdrMethod::kBenjaminiHochberg, -1);
  // The union's parts lose alike: no part concentrates the loss, so the union stays the finding.
  ASSERT_EQ(x.findings.size(), 1u);
  EXPECT_EQ(x.findings[0].candidate, 0u);
  EXPECT_EQ(x.findings[0].explains.size(), 2u);
  // The unchanged slice shares nothing with the finding.
  ASSERT_EQ(x.not_significant.size(), 1u);
  EXPECT_EQ(x.not_significant[0].candidate, 3u);
}

TEST(SliceExplanation, BadInputsAreErrors) {
  const std::vector<std::vector<uint32_t>> unsorted = {{3, 2}};
  EXPECT_THROW(explain_minimally(unsorted, 10, mean_loss, 0.05, FdrMethod::kBenjaminiHochberg, -1), Error);
  const std::vector<std::vector<uint32_t>> beyond = {{3, 20}};
  EXPECT_THROW(explain_minimally(beyond, 10, mean_loss, 0.05, FdrMethod::kBenjaminiHochberg, -1), Error);
  EXPECT_THROW(explain_minimally({}, 10, mean_loss, 0.0, FdrMethod::kBenjaminiHochberg, -1), Error);
}

}  // namespace
}  // namespace caploop
