// Special functions against values computed independently in Python 3 (standard library only):
// exact rationals with fractions.Fraction and math.comb, statistics.NormalDist (Wichura's AS241) for the
// normal quantile, and closed forms. tests/stats/reference_values.py reproduces every number quoted here.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/error.h"
#include "stats/discrete_log_pmf.h"
#include "stats/incomplete_beta.h"
#include "stats/incomplete_gamma.h"
#include "stats/log_gamma.h"
#include "stats/normal_distribution.h"
#include "stats/t_distribution.h"

namespace caploop {
namespace {

void expect_relative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::fabs(expected)) << "expected " << expected;
}

TEST(LogGammaTest, LogChooseMatchesExactIntegers) {
  // math.log(math.comb(n, k)) on Python's exact big integers.
  expect_relative(log_choose(1000000, 500000), 693140.0470130637, 1e-14);
  expect_relative(log_choose(10000000, 3), 46.56252718364688, 1e-14);
  expect_relative(log_choose(10000000, 5000000), 6931463.520760249, 1e-15);
  expect_relative(log_choose(10000000, 1234567), 3737553.2473982996, 1e-15);
  EXPECT_DOUBLE_EQ(log_choose(52, 5), std::log(2598960.0));
  EXPECT_EQ(log_choose(7, 0), 0.0);
  EXPECT_EQ(log_choose(7, 7), 0.0);
}

TEST(LogGammaTest, StirlingErrorAgreesWithLogGammaAcrossTheSwitch) {
  for (double x : {0.5, 3.0, 14.9, 15.1, 40.0, 100.0, 1000.0}) {
    const double direct = log_gamma(x + 1) - (x + 0.5) * std::log(x) + x - 0.5 * std::log(2 * std::numbers::pi);
    EXPECT_NEAR(stirling_error(x), direct, 1e-12) << x;
  }
}

TEST(LogGammaTest, BinomialDevianceSeriesMatchesDirectFormAwayFromCancellation) {
  for (double m : {9.5, 10.5, 10.9}) {
    const double x = 10.0;
    EXPECT_NEAR(binomial_deviance(x, m), x * std::log(x / m) + m - x, 1e-13);
  }
  EXPECT_EQ(binomial_deviance(0.0, 3.0), 3.0);
  EXPECT_GE(binomial_deviance(1e7, 1e7 + 1), 0.0);
}

TEST(LogGammaTest, RejectsArgumentsOutsideTheDomain) {
  EXPECT_THROW(log_gamma(0.0), Error);
  EXPECT_THROW(log_choose(3, 4), Error);
  try {
    log_choose(3, -1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().field, "k");
  }
}

TEST(DiscreteLogPmfTest, BinomialMatchesExactRationals) {
  // Fraction(comb(10, 3)) * (3/10)^3 * (7/10)^7 = 0.266827932 exactly.
  EXPECT_NEAR(std::exp(log_binomial_pmf(int64_t{3}, int64_t{10}, 0.3)), 0.266827932, 1e-15);
  // math.log(float(Fraction(comb(10**6, 500000), 2**10**6))), the ratio rounded once
  expect_relative(log_binomial_pmf(int64_t{500000}, int64_t{1000000}, 0.5), -7.133546881626865, 1e-13);
  EXPECT_DOUBLE_EQ(log_binomial_pmf(int64_t{0}, int64_t{5}, 0.5), 5 * std::log(0.5));
  EXPECT_DOUBLE_EQ(log_binomial_pmf(int64_t{5}, int64_t{5}, 0.5), 5 * std::log(0.5));
  EXPECT_EQ(log_binomial_pmf(int64_t{6}, int64_t{5}, 0.5), -INFINITY);
  EXPECT_EQ(log_binomial_pmf(int64_t{0}, int64_t{5}, 0.0), 0.0);
}

TEST(DiscreteLogPmfTest, BinomialSumsToOneForLargeN) {
  const int64_t n = 10'000'000;
  double total = 0;
  for (int64_t k = 3'000'000 - 20'000; k <= 3'000'000 + 20'000; ++k) total += std::exp(log_binomial_pmf(k, n, 0.3));
  EXPECT_NEAR(total, 1.0, 1e-10);  // +-20000 is 13.8 standard deviations
}

TEST(DiscreteLogPmfTest, HypergeometricMatchesExactRationals) {
  // comb(4,3) comb(4,1) / comb(8,4) = 16/70: the tea-tasting table with three cups right.
  EXPECT_NEAR(std::exp(log_hypergeometric_pmf(3, 4, 4, 4)), 16.0 / 70.0, 1e-15);
  // ln(comb(500,100) comb(700,200) / comb(1200,300)) from exact integers.
  expect_relative(log_hypergeometric_pmf(100, 500, 700, 300), -8.696112334932051, 1e-12);
  EXPECT_EQ(log_hypergeometric_pmf(5, 4, 4, 4), -INFINITY);
  EXPECT_EQ(log_hypergeometric_pmf(0, 4, 4, 0), 0.0);
}

TEST(NormalDistributionTest, QuantileMatchesAs241) {
  // statistics.NormalDist().inv_cdf(p), an implementation of Wichura's AS241.
  EXPECT_NEAR(normal_quantile(0.975), 1.9599639845400536, 1e-15);
  EXPECT_NEAR(normal_quantile(0.995), 2.5758293035489, 1e-14);
  EXPECT_NEAR(normal_quantile(0.3), -0.5244005127080407, 1e-15);
  expect_relative(normal_quantile(1e-10), -6.361340902404056, 1e-14);
  expect_relative(normal_quantile(1e-300), -37.0470962993612, 1e-14);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_EQ(normal_quantile(0.0), -INFINITY);
  EXPECT_THROW(normal_quantile(1.5), Error);
}

TEST(NormalDistributionTest, QuantileInvertsCdfInBothTails) {
  for (double p : {1e-200, 1e-20, 1e-5, 0.01, 0.2, 0.5, 0.7, 0.99}) {
    expect_relative(normal_cdf(normal_quantile(p)), p, 1e-13);
  }
  for (double q : {1e-200, 1e-20, 1e-5}) expect_relative(normal_sf(-normal_quantile(q)), q, 1e-13);
}

TEST(IncompleteBetaTest, MatchesExactBinomialSums) {
  // I_x(a, b) = P(Binomial(a + b - 1, x) >= a) summed exactly with Fraction for integer a, b.
  EXPECT_NEAR(regularized_incomplete_beta(2, 3, 0.5), 0.6875, 1e-15);
  EXPECT_NEAR(regularized_incomplete_beta(5, 10, 0.3), 0.41579881378065, 1e-14);
  EXPECT_NEAR(regularized_incomplete_beta(50, 70, 0.4), 0.3591346088344945, 1e-13);
  EXPECT_NEAR(regularized_incomplete_beta(1, 1, 1.0 / 7), 1.0 / 7, 1e-15);
  expect_relative(regularized_incomplete_beta(20, 400, 0.01), 1.6142136153290617e-08, 1e-11);
  expect_relative(regularized_incomplete_beta(300, 200, 0.5), 3.543480264392538e-06, 1e-11);
  expect_relative(regularized_incomplete_beta_upper(200, 300, 0.5), 3.543480264392538e-06, 1e-11);
}

TEST(IncompleteBetaTest, SymmetryAndComplementHoldForHugeParameters) {
  EXPECT_NEAR(regularized_incomplete_beta(5e6, 5e6, 0.5), 0.5, 1e-9);
  EXPECT_NEAR(regularized_incomplete_beta(3e6, 7e6, 0.3001) + regularized_incomplete_beta(7e6, 3e6, 0.6999), 1.0, 1e-9);
  EXPECT_THROW(regularized_incomplete_beta(0.0, 1.0, 0.5), Error);
  EXPECT_THROW(regularized_incomplete_beta(1.0, 1.0, 1.5), Error);
}

TEST(IncompleteBetaTest, QuantileInvertsTheCdf) {
  for (double a : {0.5, 1.0, 3.0, 250.0, 2e6}) {
    for (double b : {0.5, 2.0, 40.0, 1e6}) {
      for (double p : {1e-12, 0.025, 0.5, 0.975, 1 - 1e-9}) {
        SCOPED_TRACE(testing::Message() << "a = " << a << ", b = " << b << ", p = " << p);
        const double x = beta_quantile(a, b, p);
        expect_relative(regularized_incomplete_beta(a, b, x), p, 1e-8);
        // An upper quantile within 1e-4 of 1 keeps too few significant digits of 1 - y in a double to check.
        const double y = beta_quantile_upper(a, b, p);
        if (1 - y > 1e-4) expect_relative(regularized_incomplete_beta_upper(a, b, y), p, 1e-8);
      }
    }
  }
  // Closed form for Beta(1, b): I_x(1, b) = 1 - (1 - x)^b.
  EXPECT_NEAR(beta_quantile(1, 4, 0.5), 1 - std::pow(0.5, 0.25), 1e-15);
}

TEST(IncompleteGammaTest, ChiSquareMatchesClosedForms) {
  // Even degrees of freedom 2m: Q = exp(-x/2) sum_{i<m} (x/2)^i / i!; one degree: erfc(sqrt(x/2)).
  EXPECT_NEAR(chi_square_sf(3.0, 2), std::exp(-1.5), 1e-15);
  EXPECT_NEAR(chi_square_sf(3.8414588206941254, 1), 0.05, 1e-14);  // 1.959963984540054^2
  expect_relative(chi_square_sf(100.0, 1), std::erfc(std::sqrt(50.0)), 1e-12);
  expect_relative(chi_square_sf(50.0, 10), 2.6690834249044957e-07, 1e-12);  // Poisson sum, python floats
  EXPECT_NEAR(chi_square_cdf(4.0, 6), 0.3233235838169365, 1e-14);
  EXPECT_NEAR(chi_square_sf(0.0, 4), 1.0, 0);
  // Large degrees of freedom: P(a, a) = 1/2 + 1/(3 sqrt(2 pi a)) + O(1/a) (Temme's uniform expansion).
  EXPECT_NEAR(chi_square_cdf(1e6, 1e6), 0.5001880631945159, 1e-6);
}

TEST(TDistributionTest, MatchesClosedFormsForOneAndTwoDegrees) {
  for (double t : {-30.0, -2.0, -0.3, 0.0, 0.7, 5.0}) {
    EXPECT_NEAR(student_t_cdf(t, 1), 0.5 + std::atan(t) / std::numbers::pi, 1e-14) << t;
    EXPECT_NEAR(student_t_cdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-14) << t;
  }
  expect_relative(student_t_cdf(-1e4, 1), std::atan(1.0 / 1e4) / std::numbers::pi, 1e-12);
}

TEST(TDistributionTest, QuantileMatchesTablesAndInvertsTheCdf) {
  // t_{0.975, 2} = sqrt(2) * 0.95 / sqrt(1 - 0.95^2) from the 2-degree closed form.
  EXPECT_NEAR(student_t_quantile(0.975, 2), 0.95 * std::sqrt(2.0) / std::sqrt(1 - 0.95 * 0.95), 1e-12);
  EXPECT_NEAR(student_t_quantile(0.975, 1), std::tan(std::numbers::pi * 0.475), 1e-10);
  for (double nu : {3.0, 10.0, 29.5, 1000.0}) {
    for (double p : {1e-8, 0.05, 0.3, 0.5, 0.8, 0.999})
      expect_relative(student_t_cdf(student_t_quantile(p, nu), nu), p, 1e-10);
  }
  // Converges to the normal quantile.
  EXPECT_NEAR(student_t_quantile(0.975, 1e7), normal_quantile(0.975), 1e-6);
}

}  // namespace
}  // namespace caploop
