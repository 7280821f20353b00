// Exact binomial test of k successes in n trials against a null success probability p0.
//
//   kGreater: P(X >= k), kLess: P(X <= k), kTwoSided: sum of P(X = y) over every y with
//   P(X = y) <= P(X = k)(1 + 1e-7)  (the minimum-likelihood rule of R's binom.test), X ~ Binomial(n, p0).
// Probabilities come from Loader's saddle-point log pmf and are summed outward from the mode, so the test is
// exact to rounding and fast for n up to 10^7 and beyond (see discrete_tail.h).
// The result's statistic is the observed proportion k / n (0 when n = 0).
// Contract: 0 <= k <= n and 0 <= p0 <= 1, else caploop::Error (kInput). Thread-safe: a pure function.
#pragma once

#include <cstdint>

#include "stats/hypothesis_test.h"

namespace caploop {

TestResult binomial_test(int64_t k, int64_t n, double p0, Alternative alternative);

}  // namespace caploop
