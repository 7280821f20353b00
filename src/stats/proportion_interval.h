// Confidence intervals for a binomial proportion k / n: the interval reported with every slice accuracy.
//
// Wilson score interval (E. B. Wilson, JASA 22, 1927), z = Phi^-1(1 - (1 - confidence)/2), p = k/n:
//   center = (k + z^2/2) / (n + z^2),  half-width = z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4)
// Clopper-Pearson exact interval (C. J. Clopper and E. S. Pearson, Biometrika 26, 1934), alpha = 1 - confidence:
//   lower = Beta quantile(alpha/2; k, n - k + 1)      (0 when k = 0)
//   upper = Beta quantile(1 - alpha/2; k + 1, n - k)  (1 when k = n)
// i.e. the values of p at which the exact binomial tails P(X >= k) and P(X <= k) equal alpha/2; its coverage
// is at least the nominal confidence for every p (conservative). Wilson's is shorter and its coverage is
// close to nominal on average.
//
// Contract: 0 <= k <= n and 0 < confidence < 1, else caploop::Error (kInput). n = 0 carries no information
// and gives [0, 1]. Intervals lie in [0, 1]. Thread-safe: pure functions.
#pragma once

#include <cstdint>

#include "stats/interval.h"

namespace caploop {

Interval wilson_interval(int64_t k, int64_t n, double confidence);
Interval clopper_pearson_interval(int64_t k, int64_t n, double confidence);

}  // namespace caploop
