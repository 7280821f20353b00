// Paired tests for per-item scores. References: Student's sleep data as analysed by R's t.test (the
// classic Cushny-Peebles example: t = 4.0621, df = 9, p = 0.002833, CI 0.7001142 to 2.4598858), the t
// distribution's closed form for 2 degrees of freedom, and exact sign-flip enumerations in
// tests/stats/reference_values.py (integers, so no floating-point ties).
#include "stats/paired_tests.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"

namespace caploop {
namespace {

// Extra hours of sleep with each drug for the same ten patients (Student, Biometrika 6, 1908).
const std::vector<double> kDrug1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> kDrug2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

TEST(PairedTTest, StudentsSleepData) {
  const PairedTTestResult r = paired_t_test(kDrug1, kDrug2, Alternative::kTwoSided);
  EXPECT_EQ(r.n, 10);
  EXPECT_NEAR(r.mean_difference, 1.58, 1e-12);
  EXPECT_NEAR(r.t, 4.0621, 5e-5);
  EXPECT_DOUBLE_EQ(r.degrees_of_freedom, 9.0);
  EXPECT_NEAR(r.p_value, 0.002833, 5e-7);
  EXPECT_NEAR(r.interval.lower, 0.7001142, 5e-8);
  EXPECT_NEAR(r.interval.upper, 2.4598858, 5e-8);
  EXPECT_NEAR(paired_t_test(kDrug1, kDrug2, Alternative::kGreater).p_value, r.p_value / 2, 1e-15);
  EXPECT_NEAR(paired_t_test(kDrug1, kDrug2, Alternative::kLess).p_value, 1 - r.p_value / 2, 1e-15);
}

TEST(PairedTTest, TwoDegreesOfFreedomClosedForm) {
  // Differences 1, 2, 6: t = 1.9639610121239313, p = 2 (1/2 - t / (2 sqrt(2 + t^2))).
  const PairedTTestResult r =
      paired_t_test(std::vector<double>{0, 0, 0}, std::vector<double>{1, 2, 6}, Alternative::kTwoSided);
  EXPECT_NEAR(r.t, 1.9639610121239313, 1e-14);
  EXPECT_NEAR(r.p_value, 0.18849732879931091, 1e-14);
}

TEST(PairedTTest, DegenerateInputs) {
  const std::vector<double> a = {0.5, 0.5}, b = {0.7, 0.7};
  EXPECT_EQ(paired_t_test(a, b, Alternative::kTwoSided).p_value, 0.0);
  EXPECT_EQ(paired_t_test(a, b, Alternative::kLess).p_value, 1.0);
  EXPECT_EQ(paired_t_test(a, a, Alternative::kTwoSided).p_value, 1.0);
  EXPECT_EQ(paired_t_test(std::vector<double>{1}, std::vector<double>{0}, Alternative::kTwoSided).p_value, 1.0);
  EXPECT_THROW(paired_t_test(a, std::vector<double>{1}, Alternative::kTwoSided), Error);
}

TEST(SignFlipTest, ExactEnumerationOnTheSleepData) {
  // Nine non-zero differences, all positive: only the all-positive pattern (and, two-sided, its mirror)
  // reaches the observed sum: p = 1/512 one-sided, 2/512 two-sided.
  const SignFlipResult greater = sign_flip_test(kDrug1, kDrug2, Alternative::kGreater);
  EXPECT_TRUE(greater.exact);
  EXPECT_EQ(greater.patterns, 512);
  EXPECT_DOUBLE_EQ(greater.p_value, 1.0 / 512);
  EXPECT_DOUBLE_EQ(sign_flip_test(kDrug1, kDrug2, Alternative::kTwoSided).p_value, 1.0 / 256);
  EXPECT_DOUBLE_EQ(sign_flip_test(kDrug1, kDrug2, Alternative::kLess).p_value, 1.0);
}

TEST(SignFlipTest, MonteCarloIsCloseToExactAndDeterministic) {
  // 30 integer differences (29 non-zero): exact two-sided p = 0.09708081930875778 by dynamic programming
  // over all 2^29 patterns in reference_values.py. 20000 resamples: standard error ~0.0021.
  std::vector<double> zero(30, 0.0), d;
  for (int i = 1; i <= 30; ++i) d.push_back(static_cast<double>((i * 7919) % 23 - 9));
  const SignFlipResult r = sign_flip_test(zero, d, Alternative::kTwoSided);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.patterns, 20000);
  EXPECT_NEAR(r.p_value, 0.09708081930875778, 4 * 0.0021);
  EXPECT_EQ(sign_flip_test(zero, d, Alternative::kTwoSided).p_value, r.p_value);
  SignFlipOptions other;
  other.seed = 7;
  EXPECT_NE(sign_flip_test(zero, d, Alternative::kTwoSided, other).p_value, r.p_value);
  // With exact enumeration forced (2^29 patterns would be slow), check a smaller prefix of 16 values.
  std::vector<double> short_zero(zero.begin(), zero.begin() + 16), short_d(d.begin(), d.begin() + 16);
  const SignFlipResult exact = sign_flip_test(short_zero, short_d, Alternative::kTwoSided);
  SignFlipOptions sampled;
  sampled.exact_limit = 0;
  sampled.resamples = 40000;
  EXPECT_TRUE(exact.exact);
  EXPECT_NEAR(sign_flip_test(short_zero, short_d, Alternative::kTwoSided, sampled).p_value, exact.p_value, 0.01);
}

TEST(SignFlipTest, NoDifferencesGivePValueOne) {
  const std::vector<double> a = {1, 2, 3};
  EXPECT_EQ(sign_flip_test(a, a, Alternative::kTwoSided).p_value, 1.0);
}

}  // namespace
}  // namespace caploop
