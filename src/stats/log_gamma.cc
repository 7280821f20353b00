#include "stats/log_gamma.h"

#include <cmath>
#include <string>

#include "stats/require_argument.h"

namespace caploop {
namespace {

constexpr double kLogSqrt2Pi = 0.918938533204672741780329736406;  // ln sqrt(2 pi)

}  // namespace

double log_gamma(double x) {
  stats_detail::require_argument(x > 0 && !std::isnan(x), "log_gamma", "x", "x > 0");
  int sign = 1;
  return ::lgamma_r(x, &sign);
}

double log_beta(double a, double b) {
  stats_detail::require_argument(a > 0 && b > 0, "log_beta", "a", "a > 0 and b > 0");
  return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
}

double log_choose(int64_t n, int64_t k) {
  stats_detail::require_argument(n >= 0 && k >= 0 && k <= n, "log_choose", "k", "0 <= k <= n");
  if (k == 0 || k == n) return 0.0;
  const double nd = static_cast<double>(n);
  const double kd = static_cast<double>(k);
  const double rest = nd - kd;
  // ln C(n, k) = stirling terms + the saddle-point main part, exact to rounding for all n.
  return stirling_error(nd) - stirling_error(kd) - stirling_error(rest) - kLogSqrt2Pi +
         0.5 * (std::log(nd) - std::log(kd) - std::log(rest)) + kd * std::log1p(rest / kd) +
         rest * std::log1p(kd / rest);
}

double stirling_error(double x) {
  stats_detail::require_argument(x > 0, "stirling_error", "x", "x > 0");
  if (x <= 15.0) {
    int sign = 1;
    return ::lgamma_r(x + 1.0, &sign) - (x + 0.5) * std::log(x) + x - kLogSqrt2Pi;
  }
  constexpr double s0 = 1.0 / 12.0;
  constexpr double s1 = 1.0 / 360.0;
  constexpr double s2 = 1.0 / 1260.0;
  constexpr double s3 = 1.0 / 1680.0;
  constexpr double s4 = 1.0 / 1188.0;
  const double xx = x * x;
  if (x > 500) return (s0 - s1 / xx) / x;
  if (x > 80) return (s0 - (s1 - s2 / xx) / xx) / x;
  if (x > 35) return (s0 - (s1 - (s2 - s3 / xx) / xx) / xx) / x;
  return (s0 - (s1 - (s2 - (s3 - s4 / xx) / xx) / xx) / xx) / x;
}

double binomial_deviance(double x, double m) {
  stats_detail::require_argument(x >= 0 && m > 0, "binomial_deviance", "m", "x >= 0 and m > 0");
  if (x == 0) return m;
  const double diff = x - m;
  if (std::fabs(diff) < 0.1 * (x + m)) {
    const double v = diff / (x + m);
    double sum = diff * v;
    double term = 2.0 * x * v;
    const double v2 = v * v;
    for (int j = 1; j < 1000; ++j) {
      term *= v2;
      const double next = sum + term / (2 * j + 1);
      if (next == sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * std::log(x / m) + m - x;
}

}  // namespace caploop
