#include "stats/t_distribution.h"

#include <cmath>
#include <limits>

#include "stats/incomplete_beta.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

// P(T <= -|t|), the smaller tail.
double smaller_tail(double t, double nu) {
  const double t2 = t * t;
  // I_{nu/(nu+t^2)}(nu/2, 1/2) / 2 = (1 - I_{t^2/(nu+t^2)}(1/2, nu/2)) / 2; pick the precise form.
  if (t2 < nu) return 0.5 * regularized_incomplete_beta_upper(0.5, 0.5 * nu, t2 / (nu + t2));
  return 0.5 * regularized_incomplete_beta(0.5 * nu, 0.5, nu / (nu + t2));
}

}  // namespace

double student_t_cdf(double t, double degrees_of_freedom) {
  stats_detail::require_argument(degrees_of_freedom > 0, "student_t_cdf", "degrees_of_freedom", "> 0");
  stats_detail::require_argument(!std::isnan(t), "student_t_cdf", "t", "not NaN");
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  const double tail = smaller_tail(t, degrees_of_freedom);
  return t <= 0 ? tail : 1.0 - tail;
}

double student_t_sf(double t, double degrees_of_freedom) { return student_t_cdf(-t, degrees_of_freedom); }

double student_t_quantile(double p, double degrees_of_freedom) {
  stats_detail::require_argument(degrees_of_freedom > 0, "student_t_quantile", "degrees_of_freedom", "> 0");
  stats_detail::require_argument(p >= 0 && p <= 1, "student_t_quantile", "p", "0 <= p <= 1");
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  if (p == 0.5) return 0.0;
  const double tail = p < 0.5 ? p : 1.0 - p;  // exact for p >= 1/2
  const double nu = degrees_of_freedom;
  double magnitude = 0.0;
  if (tail < 0.25) {
    // I_x(nu/2, 1/2) = 2 tail, x = nu / (nu + t^2)
    const double x = beta_quantile(0.5 * nu, 0.5, 2.0 * tail);
    magnitude = std::sqrt(nu * (1.0 - x) / x);
  } else {
    // I_y(1/2, nu/2) = 1 - 2 tail, y = t^2 / (nu + t^2)
    const double y = beta_quantile(0.5, 0.5 * nu, 1.0 - 2.0 * tail);
    magnitude = std::sqrt(nu * y / (1.0 - y));
  }
  return p < 0.5 ? -magnitude : magnitude;
}

}  // namespace caploop
