#include "stats/incomplete_beta.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "stats/discrete_log_pmf.h"
#include "stats/log_gamma.h"
#include "stats/normal_distribution.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

constexpr double kTiny = 1e-300;
constexpr double kEpsilon = 1e-16;
constexpr int kMaxFractionTerms = 10'000'000;

struct BetaTails {
  double lower = 0.0;  // I_x(a, b)
  double upper = 1.0;  // 1 - I_x(a, b)
};

// The continued fraction 1 / (1 + d1 / (1 + d2 / ...)) by the modified Lentz method; y = 1 - x exactly as the
// caller knows it. The first denominator 1 - (a+b)x/(a+1) cancels when x is near (a+1)/(a+b); for x > 1/2 it
// is evaluated as (1 - b + (a+b)y)/(a+1), which does not.
double beta_fraction(double a, double b, double x, double y) {
  const double sum = a + b;
  double c = 1.0;
  double d = x > 0.5 ? (1.0 - b + sum * y) / (a + 1.0) : 1.0 - sum * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < kMaxFractionTerms; ++m) {
    const double m2 = 2.0 * m;
    double coefficient = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 + coefficient * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + coefficient / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    coefficient = -(a + m) * (sum + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 + coefficient * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + coefficient / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) return h;
  }
  throw Error(ErrorKind::kInternal, "incomplete beta continued fraction did not converge for a = " + std::to_string(a) +
                                        ", b = " + std::to_string(b));
}

BetaTails beta_tails(double a, double b, double x) {
  stats_detail::require_argument(a > 0 && b > 0 && std::isfinite(a) && std::isfinite(b), "regularized_incomplete_beta",
                                 "a", "a > 0 and b > 0, both finite");
  stats_detail::require_argument(x >= 0 && x <= 1, "regularized_incomplete_beta", "x", "0 <= x <= 1");
  if (x == 0) return {0.0, 1.0};
  if (x == 1) return {1.0, 0.0};
  // ln [x^a (1-x)^b / B(a, b)]
  const double log_front = log_binomial_pmf(a, a + b, x, 1.0 - x) + std::log(a) + std::log(b) - std::log(a + b);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    const double lower = std::exp(log_front) * beta_fraction(a, b, x, 1.0 - x) / a;
    return {lower, 1.0 - lower};
  }
  const double upper = std::exp(log_front) * beta_fraction(b, a, 1.0 - x, x) / b;
  return {1.0 - upper, upper};
}

// x with P(X <= x) = target (upper_tail false) or P(X > x) = target (upper_tail true), X ~ Beta(a, b),
// 0 < target < 1. Works in x directly, so it is precise when the root is small; callers reflect
// (1 - X ~ Beta(b, a)) when the root is near 1.
double solve_in_x(double a, double b, double target, bool upper_tail) {
  const double log_normalizer = log_beta(a, b);
  const double mean = a / (a + b);
  const double sd = std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
  const double z = upper_tail ? -normal_quantile(target) : normal_quantile(target);
  double x = mean + z * sd;
  if (!(x > 0 && x < 1)) x = mean;
  double lo = 0.0;
  double hi = 1.0;
  for (int iteration = 0; iteration < 1000; ++iteration) {
    const BetaTails tails = beta_tails(a, b, x);
    const double f = upper_tail ? target - tails.upper : tails.lower - target;  // increasing in x
    if (f == 0) return x;
    if (f < 0) {
      lo = x;
    } else {
      hi = x;
    }
    const double density = std::exp((a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) - log_normalizer);
    double next = x - f / density;
    if (!std::isfinite(next) || !(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 4e-16 * x || hi - lo <= 4e-16 * hi) return next;
    x = next;
  }
  return x;
}

// The quantile for a lower (upper_tail false) or upper tail target, computed in x when the root is below 1/2
// and as 1 - (root for 1 - X ~ Beta(b, a)) when it is above, so the smaller of x and 1 - x keeps full
// relative precision. The mean picks the first attempt; a root on the other side of 1/2 is solved again.
double quantile_for_tail(double a, double b, double target, bool upper_tail) {
  if (a <= b) {
    const double x = solve_in_x(a, b, target, upper_tail);
    return x <= 0.5 ? x : 1.0 - solve_in_x(b, a, target, !upper_tail);
  }
  const double y = solve_in_x(b, a, target, !upper_tail);
  return y <= 0.5 ? 1.0 - y : solve_in_x(a, b, target, upper_tail);
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) { return beta_tails(a, b, x).lower; }

double regularized_incomplete_beta_upper(double a, double b, double x) { return beta_tails(a, b, x).upper; }

double beta_quantile(double a, double b, double p) {
  stats_detail::require_argument(a > 0 && b > 0 && std::isfinite(a) && std::isfinite(b), "beta_quantile", "a",
                                 "a > 0 and b > 0, both finite");
  stats_detail::require_argument(p >= 0 && p <= 1, "beta_quantile", "p", "0 <= p <= 1");
  if (p == 0) return 0.0;
  if (p == 1) return 1.0;
  return quantile_for_tail(a, b, p, false);
}

double beta_quantile_upper(double a, double b, double q) {
  stats_detail::require_argument(a > 0 && b > 0 && std::isfinite(a) && std::isfinite(b), "beta_quantile_upper", "a",
                                 "a > 0 and b > 0, both finite");
  stats_detail::require_argument(q >= 0 && q <= 1, "beta_quantile_upper", "q", "0 <= q <= 1");
  if (q == 0) return 1.0;
  if (q == 1) return 0.0;
  return quantile_for_tail(a, b, q, true);
}

}  // namespace caploop
