// Value types shared by the hypothesis tests of the statistics layer: which alternative a test looks at,
// and what a test returns.
//
// Contract: kGreater means "the first quantity (the slice, the candidate, the observed count) is larger than
// the null value or the second quantity"; kLess the reverse; kTwoSided either. A TestResult carries the
// test's statistic (its meaning is documented by each test) and a p-value in [0, 1].
// Thread safety: plain values.
#pragma once

namespace caploop {

enum class Alternative { kTwoSided, kLess, kGreater };

struct TestResult {
  double statistic = 0.0;
  double p_value = 1.0;
};

}  // namespace caploop
