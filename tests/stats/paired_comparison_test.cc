// compare_paired(): the one paired comparison of diagnosis and verification, against hand values (McNemar's
// binomial tails summed exactly, Agresti-Min's adjusted table, the paired t test with Student's closed-form
// distribution on 4 degrees of freedom) and its contract (floor, tiny samples, both forms of the level).
#include "stats/paired_comparison.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "stats/paired_outcome.h"

namespace caploop {
namespace {

// b = 10 lost, c = 20 gained, 70 unchanged (35 right in both, 35 wrong in both).
void binary_values(std::vector<double>& base, std::vector<double>& cand) {
  for (int i = 0; i < 10; ++i) base.push_back(1), cand.push_back(0);
  for (int i = 0; i < 20; ++i) base.push_back(0), cand.push_back(1);
  for (int i = 0; i < 70; ++i) base.push_back(i % 2), cand.push_back(i % 2);
}

TEST(PairedComparison, BinaryValuesUseMcNemarExactAndAgrestiMin) {
  std::vector<double> base, cand;
  binary_values(base, cand);
  const PairedComparison d = compare_paired(base, cand, true, PairedLevel::one_sided(0.05), 0.05);
  EXPECT_EQ(d.test, "mcnemar_exact");
  EXPECT_EQ(d.n, 100);
  EXPECT_EQ(d.lost, 10);
  EXPECT_EQ(d.gained, 20);
  EXPECT_DOUBLE_EQ(d.delta, 0.1);
  // sum_{i<=10} C(30, i) / 2^30 and sum_{i<=20} C(30, i) / 2^30.
  EXPECT_NEAR(d.p_greater, 0.0493685733527, 1e-11);
  EXPECT_NEAR(d.p_less, 0.9786130273715, 1e-11);
  EXPECT_NEAR(d.p_value, 0.0987371467054, 1e-11);
  // (20.5 - 10.5) / 102 -+ 1.6448536 * 0.0537158 (one-sided 95% bounds).
  EXPECT_NEAR(d.standard_error, 0.0537158355458, 1e-11);
  EXPECT_NEAR(d.ci.lower, 0.0096845287640, 1e-9);
  EXPECT_NEAR(d.ci.upper, 0.1863939026085, 1e-9);
  // 1 - Phi((0.0980392 + 0.05) / 0.0537158).
  EXPECT_NEAR(d.p_noninferior, 0.0029259207963, 1e-9);
}

TEST(PairedComparison, MeanValuesUseThePairedTTest) {
  const std::vector<double> base = {0.5, 0.25, 1.0, 0.75, 0.5};
  const std::vector<double> cand = {0.75, 0.5, 1.0, 0.5, 1.0};
  const PairedComparison d = compare_paired(base, cand, false, PairedLevel::two_sided(0.95));
  EXPECT_EQ(d.test, "paired_t");
  EXPECT_EQ(d.lost, 1);
  EXPECT_EQ(d.gained, 3);
  EXPECT_DOUBLE_EQ(d.delta, 0.15);
  EXPECT_NEAR(d.standard_error, 0.1274754878398, 1e-12);
  // t = 1.1766968 on 4 df: P(T > t) from F(t) = 1/2 + 3/8 u (1 - t^2 / (12 (1 + t^2/4))), u = t / sqrt(1 + t^2/4).
  EXPECT_NEAR(d.p_greater, 0.1522793923403, 1e-9);
  EXPECT_NEAR(d.p_less, 1.0 - 0.1522793923403, 1e-9);
  EXPECT_NEAR(d.p_value, 0.3045587846805, 1e-9);
  // 0.15 -+ t_{0.975, 4} se, t_{0.975, 4} = 2.776445105.
  EXPECT_NEAR(d.ci.lower, -0.2039286942204, 1e-8);
  EXPECT_NEAR(d.ci.upper, 0.5039286942204, 1e-8);
  EXPECT_NEAR(d.p_noninferior, d.p_greater, 1e-15);  // margin 0
}

TEST(PairedComparison, BothFormsOfTheLevelGiveTheSameInterval) {
  std::vector<double> base, cand;
  binary_values(base, cand);
  for (const bool binary : {true, false}) {
    const PairedComparison a = compare_paired(base, cand, binary, PairedLevel::two_sided(0.9));
    const PairedComparison b = compare_paired(base, cand, binary, PairedLevel::one_sided(0.05));
    EXPECT_NEAR(a.ci.lower, b.ci.lower, 1e-12);
    EXPECT_NEAR(a.ci.upper, b.ci.upper, 1e-12);
    EXPECT_EQ(a.p_value, b.p_value);
  }
}

TEST(PairedComparison, IdenticalChangesAreFlooredAndTinySamplesUnbounded) {
  const std::vector<double> base = {0.25, 0.5, 0.0};
  const std::vector<double> cand = {0.5, 0.75, 0.25};  // every item +0.25: sample variance 0
  const PairedComparison d = compare_paired(base, cand, false, PairedLevel::two_sided(0.95));
  EXPECT_DOUBLE_EQ(d.standard_error, 0.5 / 4.0);
  EXPECT_GT(d.p_value, 0.05);  // t = 2 on 2 df: not certainty
  EXPECT_LT(d.ci.lower, 0.0);

  const std::vector<double> one_base = {0.0}, one_cand = {1.0};
  const PairedComparison one = compare_paired(one_base, one_cand, false, PairedLevel::two_sided(0.95));
  EXPECT_EQ(one.ci.lower, -1.0);
  EXPECT_EQ(one.ci.upper, 1.0);
  EXPECT_DOUBLE_EQ(one.standard_error, 0.25);
  EXPECT_EQ(one.p_value, 1.0);
  EXPECT_EQ(one.p_greater, 1.0);

  const PairedComparison none = compare_paired({}, {}, true, PairedLevel::two_sided(0.95));
  EXPECT_EQ(none.n, 0);
  EXPECT_EQ(none.ci.lower, -1.0);
  EXPECT_EQ(none.ci.upper, 1.0);
  EXPECT_EQ(none.standard_error, 1.0);
  EXPECT_EQ(none.p_noninferior, 1.0);
}

TEST(PairedComparison, RejectsBadArguments) {
  const std::vector<double> half = {0.5}, one = {1.0}, two = {1.0, 0.0};
  EXPECT_THROW(compare_paired(half, one, true, PairedLevel::two_sided(0.95)), Error);  // not 0/1
  EXPECT_THROW(compare_paired(one, two, false, PairedLevel::two_sided(0.95)), Error);  // lengths differ
  EXPECT_THROW(compare_paired(one, one, false, PairedLevel::two_sided(1.0)), Error);
  EXPECT_THROW(compare_paired(one, one, false, PairedLevel::two_sided(0.95), -0.1), Error);
}

TEST(PairedOutcome, AccuraciesAndSingleSample) {
  const std::vector<PairedOutcome> items = {PairedOutcome{"t:1", 4, 3, 2, 1}, PairedOutcome{"t:2", 1, 1, 1, 0}};
  EXPECT_DOUBLE_EQ(items[0].base_accuracy(), 0.75);
  EXPECT_DOUBLE_EQ(items[0].cand_accuracy(), 0.5);
  EXPECT_FALSE(all_single_sample(items));
  EXPECT_TRUE(items[1].single_sample());
  EXPECT_TRUE(all_single_sample(std::vector<PairedOutcome>{}));
}

}  // namespace
}  // namespace caploop
