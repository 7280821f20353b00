// The hand-written special functions of src/stats against Boost.Math, an independent implementation, over grids of
// inputs that cover what caploop's tests call them with (small and large shape parameters, both tails, extreme
// probabilities). Boost.Math is a test-only dependency (libboost-math-dev): the library does not link it.
#include <gtest/gtest.h>

#if __has_include(<boost/math/distributions/beta.hpp>)
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#define CAPLOOP_HAVE_BOOST_MATH 1
#endif
#include <cmath>
#include <vector>

#include "stats/incomplete_beta.h"
#include "stats/incomplete_gamma.h"
#include "stats/log_gamma.h"
#include "stats/normal_distribution.h"
#include "stats/proportion_interval.h"
#include "stats/t_distribution.h"

namespace caploop {
namespace {

#ifndef CAPLOOP_HAVE_BOOST_MATH
// scripts/install-deps.sh --test installs it (CI does); without it the oracle comparisons are skipped, loudly.
TEST(BoostOracleTest, NeedsBoostMath) { GTEST_SKIP() << "libboost-math-dev not installed"; }
#else

// Relative error, with an absolute floor for values near zero (tails below 1e-300 are not compared).
void expect_close(double ours, double oracle, double rel, const char* what, double a, double b, double x) {
  if (std::fabs(oracle) < 1e-300) {
    EXPECT_LT(std::fabs(ours), 1e-290) << what << " a=" << a << " b=" << b << " x=" << x;
    return;
  }
  EXPECT_LE(std::fabs(ours - oracle) / std::fabs(oracle), rel)
      << what << "(" << a << ", " << b << ", " << x << "): ours " << ours << ", Boost " << oracle;
}

const std::vector<double> kShapes = {0.05, 0.5, 1, 1.5, 2.5, 7, 30, 150, 1000, 25000};
const std::vector<double> kUnit = {1e-12, 1e-6, 0.001, 0.05, 0.2, 0.5, 0.77, 0.95, 0.999, 1 - 1e-9};

TEST(BoostOracleTest, LogGammaAndLogBeta) {
  for (double x : {1e-8, 0.001, 0.3, 0.5, 1.0, 1.5, 2.0, 7.25, 33.0, 170.5, 1e4, 1e7}) {
    expect_close(log_gamma(x), boost::math::lgamma(x), 1e-12, "log_gamma", x, 0, 0);
  }
  for (double a : kShapes) {
    for (double b : kShapes) {
      double oracle = std::log(boost::math::beta(a, b));
      if (!std::isfinite(oracle)) continue;  // underflow in Boost's non-log beta
      EXPECT_NEAR(log_beta(a, b), oracle, 1e-10 * std::max(1.0, std::fabs(oracle))) << a << " " << b;
    }
  }
}

TEST(BoostOracleTest, RegularizedIncompleteBetaBothTails) {
  for (double a : kShapes) {
    for (double b : kShapes) {
      for (double x : kUnit) {
        expect_close(regularized_incomplete_beta(a, b, x), boost::math::ibeta(a, b, x), 1e-9, "I_x", a, b, x);
        expect_close(regularized_incomplete_beta_upper(a, b, x), boost::math::ibetac(a, b, x), 1e-9, "1-I_x", a, b, x);
      }
    }
  }
}

TEST(BoostOracleTest, BetaQuantiles) {
  for (double a : {0.5, 1.0, 3.0, 40.0, 900.0}) {
    for (double b : {0.5, 1.0, 3.0, 40.0, 900.0}) {
      boost::math::beta_distribution<> dist(a, b);
      for (double p : {1e-8, 0.001, 0.025, 0.5, 0.975, 0.999}) {
        expect_close(beta_quantile(a, b, p), boost::math::quantile(dist, p), 1e-7, "beta_quantile", a, b, p);
        expect_close(beta_quantile_upper(a, b, p), boost::math::quantile(boost::math::complement(dist, p)), 1e-7,
                     "beta_quantile_upper", a, b, p);
      }
    }
  }
}

TEST(BoostOracleTest, RegularizedGammaAndChiSquare) {
  for (double a : kShapes) {
    for (double x : {1e-6, 0.01, 0.5, 1.0, 3.0, 10.0, 45.0, 200.0, 1200.0, 30000.0}) {
      expect_close(regularized_gamma_p(a, x), boost::math::gamma_p(a, x), 1e-9, "P", a, 0, x);
      expect_close(regularized_gamma_q(a, x), boost::math::gamma_q(a, x), 1e-9, "Q", a, 0, x);
    }
  }
  for (double df : {1.0, 2.0, 5.0, 26.0, 300.0}) {
    boost::math::chi_squared_distribution<> dist(df);
    for (double x : {0.01, 0.5, 3.84, 20.0, 80.0, 400.0}) {
      expect_close(chi_square_cdf(x, df), boost::math::cdf(dist, x), 1e-9, "chi2 cdf", df, 0, x);
      expect_close(chi_square_sf(x, df), boost::math::cdf(boost::math::complement(dist, x)), 1e-9, "chi2 sf", df, 0, x);
    }
  }
}

TEST(BoostOracleTest, NormalAndStudentT) {
  boost::math::normal_distribution<> normal;
  for (double z : {-37.0, -8.0, -3.0, -1.96, -0.5, 0.0, 0.7, 2.5, 6.0, 9.0}) {
    expect_close(normal_cdf(z), boost::math::cdf(normal, z), 1e-12, "normal_cdf", 0, 0, z);
    expect_close(normal_sf(z), boost::math::cdf(boost::math::complement(normal, z)), 1e-12, "normal_sf", 0, 0, z);
  }
  for (double p : {1e-15, 1e-6, 0.025, 0.3, 0.5, 0.9, 0.975, 1 - 1e-9}) {
    expect_close(normal_quantile(p), boost::math::quantile(normal, p), 1e-9, "normal_quantile", 0, 0, p);
  }
  for (double df : {1.0, 2.0, 3.5, 10.0, 29.0, 120.0, 5000.0}) {
    boost::math::students_t_distribution<> t(df);
    for (double x : {-40.0, -4.0, -2.0, -0.3, 0.0, 1.0, 2.5, 12.0}) {
      expect_close(student_t_cdf(x, df), boost::math::cdf(t, x), 1e-9, "t cdf", df, 0, x);
      expect_close(student_t_sf(x, df), boost::math::cdf(boost::math::complement(t, x)), 1e-9, "t sf", df, 0, x);
    }
    for (double p : {0.001, 0.025, 0.5, 0.95, 0.9995}) {
      expect_close(student_t_quantile(p, df), boost::math::quantile(t, p), 1e-8, "t quantile", df, 0, p);
    }
  }
}

TEST(BoostOracleTest, ClopperPearsonIsTheBetaQuantilePair) {
  for (int64_t n : {1, 7, 30, 250, 6511}) {
    for (int64_t k : {int64_t{0}, int64_t{1}, n / 3, n - 1, n}) {
      if (k < 0 || k > n) continue;
      auto ci = clopper_pearson_interval(k, n, 0.95);
      double lo = k == 0 ? 0.0 : boost::math::ibeta_inv(double(k), double(n - k + 1), 0.025);
      double hi = k == n ? 1.0 : boost::math::ibeta_inv(double(k + 1), double(n - k), 0.975);
      EXPECT_NEAR(ci.lower, lo, 1e-9) << k << "/" << n;
      EXPECT_NEAR(ci.upper, hi, 1e-9) << k << "/" << n;
    }
  }
}

#endif  // CAPLOOP_HAVE_BOOST_MATH

}  // namespace
}  // namespace caploop
