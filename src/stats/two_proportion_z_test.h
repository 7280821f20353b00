// Two-proportion z test: is the success rate of group 1 (a slice) different from that of group 2 (its
// complement)? The large-sample companion of Fisher's exact test.
//
//   p1 = k1/n1, p2 = k2/n2, pooled p = (k1 + k2)/(n1 + n2)
//   z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))
// p-value from the standard normal: kGreater P(Z >= z) (group 1 higher), kLess P(Z <= z), kTwoSided
// 2 P(Z >= |z|). When the pooled proportion is 0 or 1 the groups cannot differ: z = 0, p-value 1.
// (Agresti, Categorical Data Analysis, 3rd ed., sec. 3.1.)
// Contract: n1, n2 >= 1 and 0 <= k <= n, else caploop::Error (kInput). Thread-safe: a pure function.
#pragma once

#include <cstdint>

#include "stats/hypothesis_test.h"

namespace caploop {

TestResult two_proportion_z_test(int64_t k1, int64_t n1, int64_t k2, int64_t n2, Alternative alternative);

}  // namespace caploop
