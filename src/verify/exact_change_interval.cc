#include "verify/exact_change_interval.h"

#include <algorithm>
#include <vector>

#include "stats/paired_tests.h"
#include "stats/proportion_interval.h"

namespace caploop {
namespace {

Interval clipped(double lower, double upper) { return Interval{std::max(-1.0, lower), std::min(1.0, upper)}; }

// p-value of the one-sided sign-flip test of H0: "d_i - shift symmetric about 0" against `alternative`.
double shifted_p(std::span<const double> d, double shift, Alternative alternative) {
  std::vector<double> zero(d.size(), 0.0);
  std::vector<double> moved(d.begin(), d.end());
  for (double& x : moved) x -= shift;
  SignFlipOptions options;
  options.exact_limit = 12;
  options.resamples = 4000;
  return sign_flip_test(zero, moved, alternative, options).p_value;
}

}  // namespace

Interval exact_binary_change_interval(int64_t lost, int64_t gained, int64_t n, double alpha) {
  if (n < 2) return Interval{-1.0, 1.0};
  const int64_t m = lost + gained;
  const Interval discordant = clopper_pearson_interval(m, n, 1.0 - alpha);
  if (m == 0) return clipped(-discordant.upper, discordant.upper);
  const Interval theta = clopper_pearson_interval(gained, m, 1.0 - alpha);
  const double low_factor = 2.0 * theta.lower - 1.0;
  const double high_factor = 2.0 * theta.upper - 1.0;
  const double lower = std::min(discordant.lower * low_factor, discordant.upper * low_factor);
  const double upper = std::max(discordant.lower * high_factor, discordant.upper * high_factor);
  return clipped(lower, upper);
}

Interval sign_flip_change_interval(std::span<const double> d, double alpha) {
  if (d.size() < 2) return Interval{-1.0, 1.0};
  // Lower bound: the smallest shift the test for "greater" does not reject; p grows with the shift.
  double lo = -1.0, hi = 1.0;
  if (shifted_p(d, lo, Alternative::kGreater) > alpha) {
    hi = lo;
  } else {
    while (hi - lo > 1e-4) {
      const double mid = 0.5 * (lo + hi);
      (shifted_p(d, mid, Alternative::kGreater) <= alpha ? lo : hi) = mid;
    }
  }
  const double lower = hi;
  // Upper bound: the largest shift the test for "less" does not reject; p falls as the shift grows.
  lo = -1.0;
  hi = 1.0;
  if (shifted_p(d, hi, Alternative::kLess) > alpha) {
    lo = hi;
  } else {
    while (hi - lo > 1e-4) {
      const double mid = 0.5 * (lo + hi);
      (shifted_p(d, mid, Alternative::kLess) <= alpha ? hi : lo) = mid;
    }
  }
  return clipped(lower, lo);
}

}  // namespace caploop
