// Tail probabilities of a unimodal discrete distribution given only its log pmf: the one summation routine
// behind the exact binomial, McNemar and Fisher tests.
//
// The distribution lives on the integers lowest..highest; its pmf does not decrease up to `mode` and does
// not increase after it (binomial and hypergeometric laws have this shape). Tails are summed in log space
// starting from the term nearest the mode and walking outwards: the terms then decrease, so the walk stops
// once a term falls below 1e-17 of the running sum, and the cost is O(number of terms that matter), about
// 20 standard deviations, independent of the support size. When the distribution supplies the ratio of
// successive probabilities P(y + 1) / P(y), terms after the first are obtained by multiplying by it (a few
// flops each; the relative rounding error grows by about 1e-16 per term, 1e-12 after 10^4 terms). A tail that contains
// the mode is computed as one minus the opposite tail, so small tails keep full relative precision on either side.
//
// The two-sided p-value is the probability of every outcome no more likely than the observed one,
// sum_{y : P(y) <= P(x)(1 + 1e-7)} P(y), the "minimum likelihood" rule of R's binom.test and fisher.test;
// the relative tolerance keeps outcomes tied in exact arithmetic but not in floating point.
// Thread safety: pure functions of their arguments; log_pmf is called from the calling thread only.
#pragma once

#include <cstdint>
#include <functional>

namespace caploop {

struct UnimodalDiscrete {
  int64_t lowest = 0;
  int64_t highest = 0;
  int64_t mode = 0;                              // a value of largest probability, lowest <= mode <= highest
  std::function<double(int64_t)> log_pmf;        // ln P(X = x) for lowest <= x <= highest
  std::function<double(int64_t)> ratio_to_next;  // optional: P(X = x + 1) / P(X = x) for lowest <= x < highest
};

double lower_tail(const UnimodalDiscrete& d, int64_t x);      // P(X <= x)
double upper_tail(const UnimodalDiscrete& d, int64_t x);      // P(X >= x)
double two_sided_tail(const UnimodalDiscrete& d, int64_t x);  // minimum-likelihood two-sided p-value

}  // namespace caploop
