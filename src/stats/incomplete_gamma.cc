#include "stats/incomplete_gamma.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "stats/discrete_log_pmf.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

constexpr double kTiny = 1e-300;
constexpr double kEpsilon = 1e-16;
constexpr int kMaxTerms = 10'000'000;

struct GammaTails {
  double lower = 0.0;  // P(a, x)
  double upper = 1.0;  // Q(a, x)
};

[[noreturn]] void no_convergence(double a, double x) {
  throw Error(ErrorKind::kInternal,
              "incomplete gamma did not converge for a = " + std::to_string(a) + ", x = " + std::to_string(x));
}

double lower_series(double a, double x) {
  double term = 1.0;
  double sum = 1.0;
  for (int n = 1; n < kMaxTerms; ++n) {
    term *= x / (a + n);
    sum += term;
    if (term < sum * kEpsilon) return std::exp(log_poisson_pmf(a, x)) * sum;
  }
  no_convergence(a, x);
}

double upper_fraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxTerms; ++i) {
    const double coefficient = -i * (i - a);
    b += 2.0;
    d = coefficient * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + coefficient / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) return a * std::exp(log_poisson_pmf(a, x)) * h;
  }
  no_convergence(a, x);
}

GammaTails gamma_tails(double a, double x) {
  stats_detail::require_argument(a > 0 && std::isfinite(a), "regularized_gamma", "a", "a > 0 and finite");
  stats_detail::require_argument(x >= 0 && !std::isnan(x), "regularized_gamma", "x", "x >= 0");
  if (x == 0) return {0.0, 1.0};
  if (std::isinf(x)) return {1.0, 0.0};
  if (x < a + 1.0) {
    const double lower = lower_series(a, x);
    return {lower, 1.0 - lower};
  }
  const double upper = upper_fraction(a, x);
  return {1.0 - upper, upper};
}

}  // namespace

double regularized_gamma_p(double a, double x) { return gamma_tails(a, x).lower; }

double regularized_gamma_q(double a, double x) { return gamma_tails(a, x).upper; }

double chi_square_cdf(double x, double degrees_of_freedom) {
  stats_detail::require_argument(degrees_of_freedom > 0, "chi_square_cdf", "degrees_of_freedom", "> 0");
  return regularized_gamma_p(0.5 * degrees_of_freedom, 0.5 * x);
}

double chi_square_sf(double x, double degrees_of_freedom) {
  stats_detail::require_argument(degrees_of_freedom > 0, "chi_square_sf", "degrees_of_freedom", "> 0");
  return regularized_gamma_q(0.5 * degrees_of_freedom, 0.5 * x);
}

}  // namespace caploop
