// Empirical-Bayes beta-binomial shrinkage. The marginal likelihood is checked against Python's lgamma
// (tests/stats/reference_values.py); the fits are checked by recovering a known prior from data simulated
// with the layer's own seeded generator (Beta draws by inverting the Beta cdf, binomial draws as sums of
// Bernoulli draws), and by the maximum-likelihood property itself.
#include "stats/beta_binomial.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "stats/incomplete_beta.h"
#include "stats/random.h"

namespace caploop {
namespace {

std::vector<SuccessCount> simulate(BetaPrior prior, int slices, int64_t trials, uint64_t seed) {
  Xoshiro256StarStar rng(seed);
  std::vector<SuccessCount> out;
  for (int i = 0; i < slices; ++i) {
    const double u = (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53;
    const double p = beta_quantile(prior.alpha, prior.beta, u);
    int64_t k = 0;
    for (int64_t t = 0; t < trials; ++t) k += rng.uniform() < p ? 1 : 0;
    out.push_back({k, trials});
  }
  return out;
}

TEST(BetaBinomialTest, LogLikelihoodMatchesLgammaReference) {
  const std::vector<SuccessCount> counts = {{3, 10}, {0, 4}, {7, 7}};
  EXPECT_NEAR(beta_binomial_log_likelihood(counts, {2.0, 3.0}), -7.199037633467064, 1e-12);
}

TEST(BetaBinomialTest, MaximumLikelihoodRecoversASimulatedPrior) {
  const std::vector<SuccessCount> counts = simulate({2.0, 6.0}, 3000, 40, 11);
  const BetaPriorFit fit = fit_beta_prior_max_likelihood(counts);
  EXPECT_TRUE(fit.converged);
  EXPECT_NEAR(fit.prior.mean(), 0.25, 0.01);
  EXPECT_NEAR(fit.prior.strength(), 8.0, 1.0);
  const BetaPrior moments = fit_beta_prior_moments(counts);
  EXPECT_NEAR(moments.mean(), 0.25, 0.01);
  EXPECT_NEAR(moments.strength(), 8.0, 1.5);
  // The maximum is a maximum: no better than the moment estimate is impossible, and nearby priors are worse.
  EXPECT_GE(fit.log_likelihood, beta_binomial_log_likelihood(counts, moments));
  for (double fa : {0.99, 1.01}) {
    for (double fb : {0.99, 1.0, 1.01}) {
      EXPECT_LE(beta_binomial_log_likelihood(counts, {fit.prior.alpha * fa, fit.prior.beta * fb}), fit.log_likelihood);
    }
  }
}

TEST(BetaBinomialTest, VaryingTrialsAndUnequalSlices) {
  std::vector<SuccessCount> counts = simulate({8.0, 2.0}, 400, 5, 3);
  const std::vector<SuccessCount> more = simulate({8.0, 2.0}, 400, 200, 4);
  counts.insert(counts.end(), more.begin(), more.end());
  counts.push_back({0, 0});  // a slice with no items is ignored by the fit
  const BetaPriorFit fit = fit_beta_prior_max_likelihood(counts);
  EXPECT_NEAR(fit.prior.mean(), 0.8, 0.02);
  EXPECT_NEAR(fit.prior.strength(), 10.0, 2.5);
  const BetaPrior moments = fit_beta_prior_moments(counts);
  EXPECT_NEAR(moments.mean(), 0.8, 0.02);
  EXPECT_NEAR(moments.strength(), 10.0, 3.0);
}

TEST(BetaBinomialTest, NoOverdispersionMeansCompletePooling) {
  const std::vector<SuccessCount> counts(50, SuccessCount{50, 100});
  const BetaPrior moments = fit_beta_prior_moments(counts);
  EXPECT_DOUBLE_EQ(moments.strength(), kMaxPriorStrength);
  EXPECT_DOUBLE_EQ(moments.mean(), 0.5);
  const BetaPriorFit fit = fit_beta_prior_max_likelihood(counts);
  EXPECT_GT(fit.prior.strength(), 1e5);
  EXPECT_NEAR(fit.prior.mean(), 0.5, 1e-3);  // the standard error of the pooled mean is 0.007
  // All failures: the mean is kept off the boundary so alpha > 0.
  const std::vector<SuccessCount> zeros = {{0, 10}, {0, 30}};
  EXPECT_GT(fit_beta_prior_moments(zeros).alpha, 0.0);
  EXPECT_GT(fit_beta_prior_max_likelihood(zeros).prior.alpha, 0.0);
}

TEST(BetaBinomialTest, PosteriorShrinksSmallSlicesTowardThePrior) {
  const BetaPrior prior{12.0, 8.0};  // mean 0.6, strength 20
  EXPECT_DOUBLE_EQ(posterior_mean({3, 3}, prior), 15.0 / 23.0);
  EXPECT_DOUBLE_EQ(posterior_mean({90, 100}, prior), 102.0 / 120.0);
  EXPECT_DOUBLE_EQ(posterior_mean({0, 0}, prior), 0.6);
  const std::vector<SuccessCount> counts = {{3, 3}, {90, 100}};
  const std::vector<double> shrunk = shrunken_estimates(counts, prior);
  EXPECT_LT(shrunk[0], shrunk[1]);  // the perfect 3-item slice no longer outranks 90/100
  const Interval interval = posterior_interval({3, 3}, prior, 0.9);
  EXPECT_NEAR(interval.lower, beta_quantile(15, 8, 0.05), 1e-15);
  EXPECT_NEAR(interval.upper, beta_quantile(15, 8, 0.95), 1e-12);
  EXPECT_TRUE(interval.contains(posterior_mean({3, 3}, prior)));
}

TEST(BetaBinomialTest, RejectsBadCounts) {
  EXPECT_THROW(fit_beta_prior_moments(std::vector<SuccessCount>{}), Error);
  EXPECT_THROW(fit_beta_prior_moments(std::vector<SuccessCount>{{0, 0}}), Error);
  EXPECT_THROW(fit_beta_prior_max_likelihood(std::vector<SuccessCount>{{5, 3}}), Error);
  EXPECT_THROW(posterior_mean({1, 2}, {0.0, 1.0}), Error);
}

}  // namespace
}  // namespace caploop
