#include "stats/mcnemar_test.h"

#include <algorithm>
#include <cmath>

#include "stats/discrete_log_pmf.h"
#include "stats/discrete_tail.h"
#include "stats/require_argument.h"

namespace caploop {

McNemarResult mcnemar_exact_test(const PairedCounts& counts, Alternative alternative) {
  stats_detail::require_argument(
      counts.both_correct >= 0 && counts.baseline_only >= 0 && counts.candidate_only >= 0 && counts.both_wrong >= 0,
      "mcnemar_exact_test", "counts", "every count >= 0");
  McNemarResult result;
  const int64_t items = counts.items();
  if (items > 0) {
    result.difference = static_cast<double>(counts.candidate_only - counts.baseline_only) / static_cast<double>(items);
  }
  const int64_t n = counts.discordant();
  if (n == 0) return result;
  UnimodalDiscrete law;
  law.lowest = 0;
  law.highest = n;
  law.mode = n / 2;
  law.log_pmf = [n](int64_t y) { return log_binomial_pmf(y, n, 0.5); };
  law.ratio_to_next = [n](int64_t y) { return static_cast<double>(n - y) / static_cast<double>(y + 1); };
  const int64_t c = counts.candidate_only;
  switch (alternative) {
    case Alternative::kGreater: {
      result.p_value = upper_tail(law, c);
      result.mid_p_value = result.p_value - 0.5 * std::exp(law.log_pmf(c));
      break;
    }
    case Alternative::kLess: {
      result.p_value = lower_tail(law, c);
      result.mid_p_value = result.p_value - 0.5 * std::exp(law.log_pmf(c));
      break;
    }
    case Alternative::kTwoSided: {
      const int64_t smaller = std::min(c, counts.baseline_only);
      const double tail = lower_tail(law, smaller);
      result.p_value = std::min(1.0, 2.0 * tail);
      result.mid_p_value = std::min(1.0, 2.0 * (tail - 0.5 * std::exp(law.log_pmf(smaller))));
      break;
    }
  }
  result.mid_p_value = std::max(0.0, result.mid_p_value);
  return result;
}

}  // namespace caploop
