// Empirical-Bayes shrinkage of many proportions (slice accuracies) toward a common Beta prior, so a slice
// with 3 items does not top a ranking on luck.
//
// Model: slice i has k_i successes in n_i trials, k_i | p_i ~ Binomial(n_i, p_i), p_i ~ Beta(alpha, beta).
// Marginally k_i is beta-binomial:
//   ln P(k_i) = ln C(n_i, k_i) + ln B(k_i + alpha, n_i - k_i + beta) - ln B(alpha, beta)
// Write mu = alpha / (alpha + beta) (prior mean), s = alpha + beta (prior strength, in pseudo-trials) and
// rho = 1 / (s + 1) (intra-slice correlation).
//
// Method of moments (a weighted ANOVA-type estimator, cf. Kleinman, Biometrics 29, 1973): with N = sum n_i,
// m = sum k_i / N, S = sum n_i (k_i/n_i - m)^2 over the I slices with n_i > 0,
//   E[S] = mu(1-mu) [ (I - 1) + rho (N - sum n_i^2 / N - (I - 1)) ]
// so rho = (S / (m(1-m)) - (I - 1)) / (N - sum n_i^2 / N - (I - 1)), s = 1/rho - 1.
// Maximum likelihood maximizes the marginal likelihood above over (logit mu, ln s) with Nelder-Mead,
// started from the moment estimate.
// Both keep s within [kMinPriorStrength, kMaxPriorStrength]: when the slices vary no more than binomial
// noise (rho <= 0) the prior strength is kMaxPriorStrength, i.e. (almost) complete pooling. A pooled mean of
// exactly 0 or 1 is moved to 0.5/N or 1 - 0.5/N so that alpha, beta > 0.
//
// Posterior for slice i: Beta(k_i + alpha, n_i - k_i + beta), mean (k_i + alpha) / (n_i + alpha + beta),
// the shrunken estimate; the credible interval takes its equal-tailed Beta quantiles.
//
// Contract: every count needs 0 <= successes <= trials, and fitting needs at least one slice with trials
// > 0, else caploop::Error (kInput). Slices with no trials add nothing to a fit and get the prior mean.
// Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "stats/interval.h"

namespace caploop {

struct SuccessCount {
  int64_t successes = 0;
  int64_t trials = 0;
};

struct BetaPrior {
  double alpha = 1.0;
  double beta = 1.0;

  double mean() const { return alpha / (alpha + beta); }
  double strength() const { return alpha + beta; }
};

inline constexpr double kMinPriorStrength = 1e-3;
inline constexpr double kMaxPriorStrength = 1e8;

struct BetaPriorFit {
  BetaPrior prior;
  double log_likelihood = 0.0;  // full marginal log-likelihood at the fitted prior
  int iterations = 0;
  bool converged = false;
};

BetaPrior fit_beta_prior_moments(std::span<const SuccessCount> counts);
BetaPriorFit fit_beta_prior_max_likelihood(std::span<const SuccessCount> counts);

// Sum over the counts of ln P(k_i) under the beta-binomial model, including ln C(n_i, k_i).
double beta_binomial_log_likelihood(std::span<const SuccessCount> counts, BetaPrior prior);

double posterior_mean(SuccessCount count, BetaPrior prior);
Interval posterior_interval(SuccessCount count, BetaPrior prior, double confidence);
std::vector<double> shrunken_estimates(std::span<const SuccessCount> counts, BetaPrior prior);

}  // namespace caploop
