#include "stats/normal_distribution.h"

#include <cmath>
#include <limits>

#include "stats/require_argument.h"

namespace caploop {
namespace {

constexpr double kSqrt2 = 1.41421356237309504880168872421;
constexpr double kSqrt2Pi = 2.50662827463100050241576528481;

// Acklam's approximation to Phi^-1(p) for 0 < p <= 1/2.
double acklam_lower_half(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double kLowRegion = 0.02425;
  if (p < kLowRegion) {
    const double q = std::sqrt(-2.0 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

double quantile_lower_half(double p) {
  double x = acklam_lower_half(p);
  // Halley step on f(x) = Phi(x) - p: relative error of the cdf is near machine precision for x <= 0.
  const double e = normal_cdf(x) - p;
  const double u = e * kSqrt2Pi * std::exp(0.5 * x * x);
  x = x - u / (1.0 + 0.5 * x * u);
  return x;
}

}  // namespace

double normal_cdf(double z) { return 0.5 * std::erfc(-z / kSqrt2); }

double normal_sf(double z) { return 0.5 * std::erfc(z / kSqrt2); }

double normal_quantile(double p) {
  stats_detail::require_argument(p >= 0 && p <= 1, "normal_quantile", "p", "0 <= p <= 1");
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  if (p <= 0.5) return quantile_lower_half(p);
  return -quantile_lower_half(1.0 - p);
}

}  // namespace caploop
