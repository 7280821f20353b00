#include "stats/beta_binomial.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "stats/incomplete_beta.h"
#include "stats/log_gamma.h"
#include "stats/nelder_mead.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

constexpr double kMaxLogitMean = 30.0;

void check_count(const char* function, SuccessCount c) {
  stats_detail::require_argument(c.trials >= 0 && c.successes >= 0 && c.successes <= c.trials, function, "counts",
                                 "0 <= successes <= trials for every count");
}

struct Totals {
  double trials = 0;     // N
  double successes = 0;  // sum k
  int64_t slices = 0;    // I, slices with trials > 0
};

Totals totals_of(const char* function, std::span<const SuccessCount> counts) {
  Totals t;
  for (const SuccessCount& c : counts) {
    check_count(function, c);
    if (c.trials == 0) continue;
    t.trials += static_cast<double>(c.trials);
    t.successes += static_cast<double>(c.successes);
    ++t.slices;
  }
  stats_detail::require_argument(t.slices > 0, function, "counts", "at least one count with trials > 0");
  return t;
}

BetaPrior prior_from(double mean, double strength) {
  strength = std::clamp(strength, kMinPriorStrength, kMaxPriorStrength);
  return {mean * strength, (1.0 - mean) * strength};
}

// ln Gamma(x + n) - ln Gamma(x), summed term by term for small n to avoid cancellation when x is large.
double log_rising_factorial(double x, int64_t n) {
  if (n == 0) return 0.0;
  if (n <= 32) {
    double total = 0.0;
    for (int64_t j = 0; j < n; ++j) total += std::log(x + static_cast<double>(j));
    return total;
  }
  return log_gamma(x + static_cast<double>(n)) - log_gamma(x);
}

// A distinct (successes, trials) pair and how many slices share it.
struct WeightedCount {
  SuccessCount count;
  double multiplicity = 0.0;
};

// The counts with trials > 0, merged by value and sorted, so a fit over many slices of similar size costs
// one term per distinct pair.
std::vector<WeightedCount> distinct_counts(std::span<const SuccessCount> counts) {
  std::vector<SuccessCount> sorted;
  for (const SuccessCount& c : counts) {
    if (c.trials > 0) sorted.push_back(c);
  }
  std::sort(sorted.begin(), sorted.end(), [](const SuccessCount& x, const SuccessCount& y) {
    return x.trials != y.trials ? x.trials < y.trials : x.successes < y.successes;
  });
  std::vector<WeightedCount> out;
  for (const SuccessCount& c : sorted) {
    if (!out.empty() && out.back().count.trials == c.trials && out.back().count.successes == c.successes) {
      out.back().multiplicity += 1.0;
    } else {
      out.push_back({c, 1.0});
    }
  }
  return out;
}

// sum_i ln B(k_i + alpha, n_i - k_i + beta) - ln B(alpha, beta), without the binomial coefficients.
double log_likelihood_kernel(std::span<const WeightedCount> counts, BetaPrior prior) {
  double total = 0.0;
  for (const WeightedCount& w : counts) {
    const SuccessCount& c = w.count;
    total += w.multiplicity * (log_rising_factorial(prior.alpha, c.successes) +
                               log_rising_factorial(prior.beta, c.trials - c.successes) -
                               log_rising_factorial(prior.alpha + prior.beta, c.trials));
  }
  return total;
}

BetaPrior prior_from_parameters(const std::vector<double>& theta) {
  const double logit_mean = std::clamp(theta[0], -kMaxLogitMean, kMaxLogitMean);
  const double log_strength = std::clamp(theta[1], std::log(kMinPriorStrength), std::log(kMaxPriorStrength));
  return prior_from(1.0 / (1.0 + std::exp(-logit_mean)), std::exp(log_strength));
}

}  // namespace

BetaPrior fit_beta_prior_moments(std::span<const SuccessCount> counts) {
  const Totals t = totals_of("fit_beta_prior_moments", counts);
  const double n_total = t.trials;
  double mean = t.successes / n_total;
  mean = std::clamp(mean, 0.5 / n_total, 1.0 - 0.5 / n_total);
  double spread = 0.0;          // S
  double squared_trials = 0.0;  // sum n_i^2
  for (const SuccessCount& c : counts) {
    if (c.trials == 0) continue;
    const double n = static_cast<double>(c.trials);
    const double deviation = static_cast<double>(c.successes) / n - mean;
    spread += n * deviation * deviation;
    squared_trials += n * n;
  }
  const double groups_minus_one = static_cast<double>(t.slices - 1);
  const double denominator = n_total - squared_trials / n_total - groups_minus_one;
  const double numerator = spread / (mean * (1.0 - mean)) - groups_minus_one;
  if (!(denominator > 0) || !(numerator > 0)) return prior_from(mean, kMaxPriorStrength);
  const double rho = std::min(numerator / denominator, 1.0);
  return prior_from(mean, 1.0 / rho - 1.0);
}

BetaPriorFit fit_beta_prior_max_likelihood(std::span<const SuccessCount> counts) {
  totals_of("fit_beta_prior_max_likelihood", counts);
  const BetaPrior start = fit_beta_prior_moments(counts);
  const std::vector<WeightedCount> distinct = distinct_counts(counts);
  const auto objective = [&](const std::vector<double>& theta) {
    return -log_likelihood_kernel(distinct, prior_from_parameters(theta));
  };
  const double start_mean = start.mean();
  std::vector<double> theta0{std::log(start_mean / (1.0 - start_mean)),
                             std::log(std::min(start.strength(), 1e6))};  // start inside the flat region's edge
  const NelderMeadResult found =
      minimize_nelder_mead(objective, theta0, {.initial_step = 0.5, .tolerance = 1e-12, .max_iterations = 5000});
  BetaPriorFit fit;
  fit.prior = prior_from_parameters(found.point);
  fit.iterations = found.iterations;
  fit.converged = found.converged;
  fit.log_likelihood = beta_binomial_log_likelihood(counts, fit.prior);
  return fit;
}

double beta_binomial_log_likelihood(std::span<const SuccessCount> counts, BetaPrior prior) {
  stats_detail::require_argument(prior.alpha > 0 && prior.beta > 0, "beta_binomial_log_likelihood", "prior",
                                 "alpha > 0 and beta > 0");
  for (const SuccessCount& c : counts) check_count("beta_binomial_log_likelihood", c);
  double total = log_likelihood_kernel(distinct_counts(counts), prior);
  for (const SuccessCount& c : counts) total += log_choose(c.trials, c.successes);
  return total;
}

double posterior_mean(SuccessCount count, BetaPrior prior) {
  check_count("posterior_mean", count);
  stats_detail::require_argument(prior.alpha > 0 && prior.beta > 0, "posterior_mean", "prior",
                                 "alpha > 0 and beta > 0");
  return (static_cast<double>(count.successes) + prior.alpha) /
         (static_cast<double>(count.trials) + prior.alpha + prior.beta);
}

Interval posterior_interval(SuccessCount count, BetaPrior prior, double confidence) {
  check_count("posterior_interval", count);
  stats_detail::require_argument(prior.alpha > 0 && prior.beta > 0, "posterior_interval", "prior",
                                 "alpha > 0 and beta > 0");
  stats_detail::require_argument(confidence > 0 && confidence < 1, "posterior_interval", "confidence",
                                 "0 < confidence < 1");
  const double a = static_cast<double>(count.successes) + prior.alpha;
  const double b = static_cast<double>(count.trials - count.successes) + prior.beta;
  const double half_alpha = 0.5 * (1.0 - confidence);
  return {beta_quantile(a, b, half_alpha), beta_quantile_upper(a, b, half_alpha)};
}

std::vector<double> shrunken_estimates(std::span<const SuccessCount> counts, BetaPrior prior) {
  std::vector<double> out;
  out.reserve(counts.size());
  for (const SuccessCount& c : counts) out.push_back(posterior_mean(c, prior));
  return out;
}

}  // namespace caploop
