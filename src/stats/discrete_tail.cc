#include "stats/discrete_tail.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace caploop {
namespace {

constexpr double kStopFraction = 1e-17;
constexpr double kTieTolerance = 1e-7;

// Sum of P(y) for y = start, start + step, ... to the end of the support, where the terms decrease.
double sum_outward(const UnimodalDiscrete& d, int64_t start, int step) {
  const double base = d.log_pmf(start);
  if (base == -std::numeric_limits<double>::infinity()) return 0.0;
  double total = 0.0;
  double term = 1.0;
  for (int64_t y = start; y >= d.lowest && y <= d.highest; y += step) {
    if (y != start) {
      if (!d.ratio_to_next) {
        term = std::exp(d.log_pmf(y) - base);
      } else if (step > 0) {
        term *= d.ratio_to_next(y - 1);
      } else {
        term /= d.ratio_to_next(y);
      }
    }
    total += term;
    if (term < kStopFraction * total) break;
  }
  return std::exp(base + std::log(total));
}

}  // namespace

double lower_tail(const UnimodalDiscrete& d, int64_t x) {
  if (x < d.lowest) return 0.0;
  if (x >= d.highest) return 1.0;
  if (x <= d.mode) return std::min(1.0, sum_outward(d, x, -1));
  return std::max(0.0, 1.0 - sum_outward(d, x + 1, +1));
}

double upper_tail(const UnimodalDiscrete& d, int64_t x) {
  if (x <= d.lowest) return 1.0;
  if (x > d.highest) return 0.0;
  if (x >= d.mode) return std::min(1.0, sum_outward(d, x, +1));
  return std::max(0.0, 1.0 - sum_outward(d, x - 1, -1));
}

double two_sided_tail(const UnimodalDiscrete& d, int64_t x) {
  if (x < d.lowest || x > d.highest) return 0.0;
  const double threshold = d.log_pmf(x) + std::log1p(kTieTolerance);
  if (d.log_pmf(d.mode) <= threshold) return 1.0;
  if (x < d.mode) {
    // Smallest y > mode with P(y) <= threshold; the pmf does not increase on [mode, highest].
    int64_t lo = d.mode + 1;
    int64_t hi = d.highest + 1;  // hi = highest + 1 stands for "none"
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (d.log_pmf(mid) <= threshold) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    const double other = lo <= d.highest ? sum_outward(d, lo, +1) : 0.0;
    return std::min(1.0, sum_outward(d, x, -1) + other);
  }
  // x > mode: largest y < mode with P(y) <= threshold; the pmf does not decrease on [lowest, mode].
  int64_t lo = d.lowest - 1;  // lo = lowest - 1 stands for "none"
  int64_t hi = d.mode - 1;
  while (lo < hi) {
    const int64_t mid = hi - (hi - lo) / 2;
    if (d.log_pmf(mid) <= threshold) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const double other = lo >= d.lowest ? sum_outward(d, lo, -1) : 0.0;
  return std::min(1.0, sum_outward(d, x, +1) + other);
}

}  // namespace caploop
