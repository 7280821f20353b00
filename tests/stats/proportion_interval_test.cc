// Wilson and Clopper-Pearson intervals against Newcombe (Statistics in Medicine 17, 1998, Table II), whose
// four-decimal values the full-precision references below round to. The references were computed in
// tests/stats/reference_values.py: Wilson from its closed form, Clopper-Pearson by bisection on exact
// rational binomial tails (no beta function involved).
#include "stats/proportion_interval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "stats/discrete_log_pmf.h"
#include "stats/incomplete_beta.h"

namespace caploop {
namespace {

struct Case {
  int64_t k, n;
  double wilson_lower, wilson_upper, cp_lower, cp_upper;
};

constexpr Case kNewcombe[] = {
    {81, 263, 0.2552885198782742, 0.36620957698280004, 0.25273674558527115, 0.3676219226013514},
    {15, 148, 0.06238639953073629, 0.160487241723308, 0.057844010083448555, 0.16165049034947898},
    {0, 20, 0.0, 0.16112515805281932, 0.0, 0.1684334709830853},
    {1, 29, 0.006113214292762667, 0.17175521879320282, 0.0008726468835799218, 0.1776442954887229},
};

TEST(ProportionIntervalTest, WilsonMatchesNewcombeTable) {
  for (const Case& c : kNewcombe) {
    const Interval w = wilson_interval(c.k, c.n, 0.95);
    EXPECT_NEAR(w.lower, c.wilson_lower, 1e-14) << c.k << "/" << c.n;
    EXPECT_NEAR(w.upper, c.wilson_upper, 1e-14) << c.k << "/" << c.n;
  }
}

TEST(ProportionIntervalTest, ClopperPearsonMatchesNewcombeTable) {
  for (const Case& c : kNewcombe) {
    const Interval cp = clopper_pearson_interval(c.k, c.n, 0.95);
    EXPECT_NEAR(cp.lower, c.cp_lower, 1e-12) << c.k << "/" << c.n;
    EXPECT_NEAR(cp.upper, c.cp_upper, 1e-12) << c.k << "/" << c.n;
  }
}

TEST(ProportionIntervalTest, ClopperPearsonBoundsAreTheBetaQuantiles) {
  const Interval cp = clopper_pearson_interval(37, 120, 0.9);
  EXPECT_DOUBLE_EQ(cp.lower, beta_quantile(37, 84, 0.05));
  EXPECT_NEAR(cp.upper, beta_quantile(38, 83, 0.95), 1e-13);
  // Defining property: the exact binomial tails at the bounds equal alpha / 2.
  EXPECT_NEAR(regularized_incomplete_beta(37, 84, cp.lower), 0.05, 1e-12);        // P(X >= 37 | p = lower)
  EXPECT_NEAR(regularized_incomplete_beta_upper(38, 83, cp.upper), 0.05, 1e-12);  // P(X <= 37 | p = upper)
}

TEST(ProportionIntervalTest, EdgeCountsAndHugeN) {
  EXPECT_EQ(wilson_interval(0, 0, 0.95).lower, 0.0);
  EXPECT_EQ(wilson_interval(0, 0, 0.95).upper, 1.0);
  EXPECT_EQ(clopper_pearson_interval(5, 5, 0.95).upper, 1.0);
  // k = n: lower = (alpha/2)^(1/n).
  EXPECT_NEAR(clopper_pearson_interval(5, 5, 0.95).lower, std::pow(0.025, 0.2), 1e-14);
  // k = 0: upper = 1 - (alpha/2)^(1/n), here for n = 10^7.
  EXPECT_NEAR(clopper_pearson_interval(0, 10'000'000, 0.95).upper, -std::expm1(std::log(0.025) / 1e7), 1e-18);
  const Interval big = clopper_pearson_interval(6'000'000, 10'000'000, 0.95);
  const Interval wide = wilson_interval(6'000'000, 10'000'000, 0.95);
  EXPECT_LT(big.lower, 0.6);
  EXPECT_GT(big.upper, 0.6);
  // For large n both approach p +- z sqrt(p(1-p)/n) = 0.6 +- 3.0364e-4.
  EXPECT_NEAR(big.upper - big.lower, 2 * 1.959963984540054 * std::sqrt(0.24 / 1e7), 1e-7);
  EXPECT_NEAR(wide.upper - wide.lower, 2 * 1.959963984540054 * std::sqrt(0.24 / 1e7), 1e-7);
}

TEST(ProportionIntervalTest, RejectsBadArguments) {
  EXPECT_THROW(wilson_interval(4, 3, 0.95), Error);
  EXPECT_THROW(clopper_pearson_interval(1, 3, 1.0), Error);
  EXPECT_THROW(clopper_pearson_interval(-1, 3, 0.9), Error);
  try {
    wilson_interval(4, 3, 0.95);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().field, "k");
    EXPECT_NE(e.message().find("wilson_interval"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("0 <= k <= n"), std::string::npos) << e.message();
  }
}

// Property: the exact interval's coverage, sum_k P(k | p) [p in CI(k)], is at least the nominal level for
// every p (Clopper and Pearson's guarantee), while Wilson's dips below it for some p.
TEST(ProportionIntervalTest, ClopperPearsonCoverageIsAtLeastNominalOnAGrid) {
  for (int64_t n : {5, 17, 40, 100}) {
    std::vector<Interval> exact, score;
    for (int64_t k = 0; k <= n; ++k) {
      exact.push_back(clopper_pearson_interval(k, n, 0.95));
      score.push_back(wilson_interval(k, n, 0.95));
    }
    double worst_wilson = 1.0;
    for (int step = 1; step < 200; ++step) {
      const double p = step / 200.0;
      double cover_exact = 0.0, cover_score = 0.0;
      for (int64_t k = 0; k <= n; ++k) {
        const double prob = std::exp(log_binomial_pmf(k, n, p));
        if (exact[k].contains(p)) cover_exact += prob;
        if (score[k].contains(p)) cover_score += prob;
      }
      EXPECT_GE(cover_exact, 0.95 - 1e-12) << "n = " << n << ", p = " << p;
      worst_wilson = std::min(worst_wilson, cover_score);
    }
    EXPECT_LT(worst_wilson, 0.95) << "n = " << n;  // the grid is fine enough to see Wilson undercover
  }
}

}  // namespace
}  // namespace caploop
