#include "stats/discrete_log_pmf.h"

#include <cmath>
#include <limits>

#include "stats/log_gamma.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

constexpr double kLog2Pi = 1.837877066409345483560659472811;  // ln(2 pi)
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

}  // namespace

double log_binomial_pmf(double k, double n, double p, double q) {
  stats_detail::require_argument(n >= 0 && k >= 0, "log_binomial_pmf", "n", "n >= 0 and k >= 0");
  stats_detail::require_argument(p >= 0 && p <= 1 && q >= 0 && q <= 1, "log_binomial_pmf", "p",
                                 "0 <= p <= 1 and 0 <= q <= 1");
  if (k > n) return kNegInf;
  if (p == 0) return k == 0 ? 0.0 : kNegInf;
  if (q == 0) return k == n ? 0.0 : kNegInf;
  if (k == 0) {
    if (n == 0) return 0.0;
    return p < 0.1 ? -binomial_deviance(n, n * q) - n * p : n * std::log(q);
  }
  if (k == n) return q < 0.1 ? -binomial_deviance(n, n * p) - n * q : n * std::log(p);
  const double rest = n - k;
  const double main = stirling_error(n) - stirling_error(k) - stirling_error(rest) - binomial_deviance(k, n * p) -
                      binomial_deviance(rest, n * q);
  return main - 0.5 * (kLog2Pi + std::log(k) + std::log1p(-k / n));
}

double log_binomial_pmf(int64_t k, int64_t n, double p) {
  stats_detail::require_argument(n >= 0 && k >= 0, "log_binomial_pmf", "n", "n >= 0 and k >= 0");
  if (k > n) return kNegInf;
  return log_binomial_pmf(static_cast<double>(k), static_cast<double>(n), p, 1.0 - p);
}

double log_hypergeometric_pmf(int64_t x, int64_t successes, int64_t failures, int64_t draws) {
  stats_detail::require_argument(successes >= 0 && failures >= 0, "log_hypergeometric_pmf", "successes",
                                 "successes >= 0 and failures >= 0");
  stats_detail::require_argument(draws >= 0 && draws <= successes + failures, "log_hypergeometric_pmf", "draws",
                                 "0 <= draws <= successes + failures");
  if (x < 0 || x > successes || draws - x > failures || x > draws) return kNegInf;
  if (draws == 0) return 0.0;
  const double total = static_cast<double>(successes) + static_cast<double>(failures);
  const double r = static_cast<double>(draws) / total;
  const double s = static_cast<double>(successes + failures - draws) / total;
  const double from_successes = log_binomial_pmf(static_cast<double>(x), static_cast<double>(successes), r, s);
  const double from_failures = log_binomial_pmf(static_cast<double>(draws - x), static_cast<double>(failures), r, s);
  const double all = log_binomial_pmf(static_cast<double>(draws), total, r, s);
  return from_successes + from_failures - all;
}

double log_poisson_pmf(double x, double m) {
  stats_detail::require_argument(x >= 0 && m > 0, "log_poisson_pmf", "m", "x >= 0 and m > 0");
  if (x == 0) return -m;
  return -stirling_error(x) - binomial_deviance(x, m) - 0.5 * (kLog2Pi + std::log(x));
}

}  // namespace caploop
