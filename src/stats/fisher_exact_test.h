// Fisher's exact test on a 2x2 table: does group 1 (a slice) succeed at a different rate than group 2 (its
// complement)? Exact for any counts; the test used for weak-slice mining.
//
// Table:            success  failure
//        group 1       a        b
//        group 2       c        d
// Conditioning on the margins, a ~ Hypergeometric: a successes among a + b draws from a + c successes and
// b + d failures (R. A. Fisher, J. Royal Statistical Society 85, 1922; Agresti, Categorical Data Analysis,
// sec. 3.5). kGreater: P(X >= a) (group 1 succeeds more), kLess: P(X <= a), kTwoSided: the sum of
// P(X = x) over tables no more likely than the observed one, P(x) <= P(a)(1 + 1e-7), as in R's fisher.test.
// Probabilities are evaluated in log space (Loader's expansion) and summed outward from the mode, so margins
// up to 10^7 cost about 20 standard deviations' worth of terms (see discrete_tail.h).
// The result's statistic is the sample odds ratio ad / (bc): +infinity when bc = 0 < ad, NaN when ad = bc = 0.
// Contract: all cells >= 0, else caploop::Error (kInput). Thread-safe: a pure function.
#pragma once

#include <cstdint>

#include "stats/hypothesis_test.h"

namespace caploop {

struct TwoByTwoTable {
  int64_t a = 0;  // group 1 successes
  int64_t b = 0;  // group 1 failures
  int64_t c = 0;  // group 2 successes
  int64_t d = 0;  // group 2 failures
};

TestResult fisher_exact_test(const TwoByTwoTable& table, Alternative alternative);

}  // namespace caploop
