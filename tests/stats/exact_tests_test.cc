// Exact and large-sample tests of a slice against its complement, against exact rational arithmetic
// (tests/stats/reference_values.py: fractions.Fraction over math.comb, summing the whole support).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "stats/binomial_test.h"
#include "stats/discrete_log_pmf.h"
#include "stats/fisher_exact_test.h"
#include "stats/incomplete_beta.h"
#include "stats/mcnemar_test.h"
#include "stats/normal_distribution.h"
#include "stats/two_proportion_z_test.h"

namespace caploop {
namespace {

TEST(FisherExactTest, TeaTastingLady) {
  // Fisher (1935): 8 cups, 4 milk-first; she names 3 of the 4 correctly. P(X >= 3) = 17/70, two-sided 34/70.
  const TwoByTwoTable tea{3, 1, 1, 3};
  EXPECT_NEAR(fisher_exact_test(tea, Alternative::kGreater).p_value, 17.0 / 70.0, 1e-14);
  EXPECT_NEAR(fisher_exact_test(tea, Alternative::kTwoSided).p_value, 34.0 / 70.0, 1e-14);
  EXPECT_NEAR(fisher_exact_test(tea, Alternative::kLess).p_value, 69.0 / 70.0, 1e-14);
  EXPECT_DOUBLE_EQ(fisher_exact_test(tea, Alternative::kGreater).statistic, 9.0);
}

TEST(FisherExactTest, AsymmetricTablesMatchExactRationals) {
  const TestResult less = fisher_exact_test({10, 20, 30, 15}, Alternative::kLess);
  EXPECT_NEAR(less.p_value, 0.004499854556435513, 1e-15);
  EXPECT_NEAR(fisher_exact_test({10, 20, 30, 15}, Alternative::kGreater).p_value, 0.9990213446286045, 1e-14);
  EXPECT_NEAR(fisher_exact_test({10, 20, 30, 15}, Alternative::kTwoSided).p_value, 0.008824760272675989, 1e-15);
  EXPECT_NEAR(fisher_exact_test({2, 9, 7, 3}, Alternative::kTwoSided).p_value, 0.029973122852379817, 1e-15);
  EXPECT_NEAR(fisher_exact_test({2, 9, 7, 3}, Alternative::kLess).p_value, 0.024172422005239343, 1e-15);
}

TEST(FisherExactTest, LargeMarginsAgreeWithTheNormalApproximation) {
  // 10^6 items per group, accuracies 0.500 and 0.502: z = -2.8284; exact and normal agree to a few percent.
  const TwoByTwoTable t{500'000, 500'000, 502'000, 498'000};
  const double exact = fisher_exact_test(t, Alternative::kTwoSided).p_value;
  const double approx = two_proportion_z_test(500'000, 1'000'000, 502'000, 1'000'000, Alternative::kTwoSided).p_value;
  EXPECT_NEAR(exact / approx, 1.0, 0.02);
  EXPECT_NEAR(approx, 2 * normal_sf(2.0 / std::sqrt(0.501 * 0.499 * 2.0)), 1e-12);
}

TEST(FisherExactTest, TenMillionItemsStayAccurateAndFast) {
  // 5 * 10^6 items per group, accuracies 0.6000 and 0.6008: z = -2.5820. One-sided exact tails of a
  // symmetric-margin table mirror each other, and both sides agree with the normal tail to within 1%.
  const TwoByTwoTable t{3'000'000, 2'000'000, 3'004'000, 1'996'000};
  const double less = fisher_exact_test(t, Alternative::kLess).p_value;
  const double two = fisher_exact_test(t, Alternative::kTwoSided).p_value;
  const double z = two_proportion_z_test(3'000'000, 5'000'000, 3'004'000, 5'000'000, Alternative::kLess).p_value;
  EXPECT_NEAR(less / z, 1.0, 0.01);
  EXPECT_NEAR(two / (2 * less), 1.0, 1e-3);
  // P(X >= a) = 1 - P(X <= a) + P(X = a).
  EXPECT_NEAR(fisher_exact_test(t, Alternative::kGreater).p_value,
              1.0 - less + std::exp(log_hypergeometric_pmf(3'000'000, 6'004'000, 3'996'000, 5'000'000)), 1e-12);
}

TEST(FisherExactTest, DegenerateTables) {
  EXPECT_EQ(fisher_exact_test({0, 0, 0, 0}, Alternative::kTwoSided).p_value, 1.0);
  EXPECT_EQ(fisher_exact_test({5, 0, 0, 5}, Alternative::kGreater).statistic, INFINITY);
  EXPECT_NEAR(fisher_exact_test({5, 0, 0, 5}, Alternative::kGreater).p_value, 1.0 / 252.0, 1e-15);  // 1/C(10,5)
  EXPECT_TRUE(std::isnan(fisher_exact_test({0, 3, 0, 4}, Alternative::kLess).statistic));
  EXPECT_THROW(fisher_exact_test({-1, 3, 0, 4}, Alternative::kLess), Error);
}

TEST(BinomialTest, MatchesExactRationals) {
  EXPECT_NEAR(binomial_test(2, 20, 0.3, Alternative::kTwoSided).p_value, 0.05262794872972712, 1e-14);
  EXPECT_NEAR(binomial_test(2, 20, 0.3, Alternative::kLess).p_value, 0.03548313229846868, 1e-14);
  EXPECT_NEAR(binomial_test(2, 20, 0.3, Alternative::kGreater).p_value, 0.9923627402258, 1e-14);
  EXPECT_NEAR(binomial_test(7, 20, 0.5, Alternative::kTwoSided).p_value, 0.26317596435546875, 1e-14);
  EXPECT_NEAR(binomial_test(60, 100, 0.5, Alternative::kGreater).p_value, 0.028443966820490395, 1e-14);
  EXPECT_DOUBLE_EQ(binomial_test(60, 100, 0.5, Alternative::kGreater).statistic, 0.6);
  EXPECT_EQ(binomial_test(10, 20, 0.5, Alternative::kTwoSided).p_value, 1.0);
}

TEST(BinomialTest, TailsMatchTheIncompleteBetaForTenMillionTrials) {
  // P(X >= k) = I_p(k, n - k + 1): a different algorithm (continued fraction) for the same number.
  const int64_t n = 10'000'000;
  for (int64_t k : {3'001'000, 3'002'000, 3'004'000, 2'996'500}) {
    const double tail = binomial_test(k, n, 0.3, Alternative::kGreater).p_value;
    const double beta = regularized_incomplete_beta(static_cast<double>(k), static_cast<double>(n - k + 1), 0.3);
    EXPECT_NEAR(tail / beta, 1.0, 1e-9) << k;
  }
  // A tail far below double's 1e-308 underflows to 0 rather than failing.
  EXPECT_EQ(binomial_test(3'100'000, n, 0.3, Alternative::kGreater).p_value, 0.0);
}

TEST(McNemarTest, AgrestiPresidentialApproval) {
  // Agresti, Categorical Data Analysis, Table 11.1: approve/disapprove at two surveys of 1600 people;
  // 150 switched to disapprove, 86 to approve.
  const PairedCounts counts{794, 150, 86, 570};
  const McNemarResult two = mcnemar_exact_test(counts, Alternative::kTwoSided);
  EXPECT_NEAR(two.p_value / 3.715936139571442e-05, 1.0, 1e-12);
  EXPECT_NEAR(two.mid_p_value / 2.89338951761549e-05, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(two.difference, -64.0 / 1600.0);
  EXPECT_NEAR(mcnemar_exact_test(counts, Alternative::kLess).p_value / 1.857968069785721e-05, 1.0, 1e-12);
  EXPECT_NEAR(mcnemar_exact_test(counts, Alternative::kGreater).p_value, 0.9999896457855217, 1e-14);
}

TEST(McNemarTest, SmallTableByHand) {
  // b = 2, c = 8: 2 P(X <= 2 | 10, 1/2) = 2 * 56 / 1024; mid-p = 2 (56 - 45/2) / 1024.
  const PairedCounts counts{40, 2, 8, 50};
  EXPECT_NEAR(mcnemar_exact_test(counts, Alternative::kTwoSided).p_value, 112.0 / 1024.0, 1e-15);
  EXPECT_NEAR(mcnemar_exact_test(counts, Alternative::kTwoSided).mid_p_value, 67.0 / 1024.0, 1e-15);
  EXPECT_NEAR(mcnemar_exact_test(counts, Alternative::kGreater).p_value, 56.0 / 1024.0, 1e-15);
  EXPECT_NEAR(mcnemar_exact_test(counts, Alternative::kGreater).mid_p_value, (56.0 - 22.5) / 1024.0, 1e-15);
  EXPECT_EQ(mcnemar_exact_test({10, 0, 0, 3}, Alternative::kTwoSided).p_value, 1.0);
  EXPECT_EQ(mcnemar_exact_test({10, 4, 4, 3}, Alternative::kTwoSided).p_value, 1.0);
}

TEST(TwoProportionZTest, MatchesClosedForm) {
  // 30/100 vs 20/100: pooled 0.25, z = 0.1 / sqrt(0.25 * 0.75 * 0.02).
  const TestResult r = two_proportion_z_test(30, 100, 20, 100, Alternative::kTwoSided);
  EXPECT_NEAR(r.statistic, 1.6329931618554518, 1e-14);
  EXPECT_NEAR(r.p_value, 0.1024704348597495, 1e-14);
  EXPECT_NEAR(two_proportion_z_test(30, 100, 20, 100, Alternative::kGreater).p_value, 0.05123521742987475, 1e-14);
  EXPECT_EQ(two_proportion_z_test(0, 10, 0, 7, Alternative::kTwoSided).p_value, 1.0);
  EXPECT_THROW(two_proportion_z_test(1, 0, 0, 7, Alternative::kTwoSided), Error);
}

}  // namespace
}  // namespace caploop
