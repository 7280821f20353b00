#include "stats/binomial_test.h"

#include <algorithm>
#include <cmath>

#include "stats/discrete_log_pmf.h"
#include "stats/discrete_tail.h"
#include "stats/require_argument.h"

namespace caploop {

TestResult binomial_test(int64_t k, int64_t n, double p0, Alternative alternative) {
  stats_detail::require_argument(n >= 0, "binomial_test", "n", "n >= 0");
  stats_detail::require_argument(k >= 0 && k <= n, "binomial_test", "k", "0 <= k <= n");
  stats_detail::require_argument(p0 >= 0 && p0 <= 1, "binomial_test", "p0", "0 <= p0 <= 1");
  TestResult result;
  result.statistic = n == 0 ? 0.0 : static_cast<double>(k) / static_cast<double>(n);
  UnimodalDiscrete law;
  law.lowest = 0;
  law.highest = n;
  law.mode = std::min<int64_t>(n, static_cast<int64_t>(std::floor((static_cast<double>(n) + 1.0) * p0)));
  law.log_pmf = [n, p0](int64_t y) { return log_binomial_pmf(y, n, p0); };
  const double odds = p0 / (1.0 - p0);
  if (p0 > 0 && p0 < 1) {
    law.ratio_to_next = [n, odds](int64_t y) { return static_cast<double>(n - y) / static_cast<double>(y + 1) * odds; };
  }
  switch (alternative) {
    case Alternative::kGreater:
      result.p_value = upper_tail(law, k);
      break;
    case Alternative::kLess:
      result.p_value = lower_tail(law, k);
      break;
    case Alternative::kTwoSided:
      result.p_value = two_sided_tail(law, k);
      break;
  }
  return result;
}

}  // namespace caploop
