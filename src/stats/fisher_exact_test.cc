#include "stats/fisher_exact_test.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stats/discrete_log_pmf.h"
#include "stats/discrete_tail.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

double sample_odds_ratio(const TwoByTwoTable& t) {
  const double numerator = static_cast<double>(t.a) * static_cast<double>(t.d);
  const double denominator = static_cast<double>(t.b) * static_cast<double>(t.c);
  if (denominator == 0)
    return numerator == 0 ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  return numerator / denominator;
}

}  // namespace

TestResult fisher_exact_test(const TwoByTwoTable& table, Alternative alternative) {
  stats_detail::require_argument(table.a >= 0 && table.b >= 0 && table.c >= 0 && table.d >= 0, "fisher_exact_test",
                                 "table", "every cell >= 0");
  const int64_t successes = table.a + table.c;
  const int64_t failures = table.b + table.d;
  const int64_t draws = table.a + table.b;
  UnimodalDiscrete law;
  law.lowest = std::max<int64_t>(0, draws - failures);
  law.highest = std::min(draws, successes);
  const double total = static_cast<double>(successes) + static_cast<double>(failures);
  const double mode =
      std::floor((static_cast<double>(draws) + 1.0) * (static_cast<double>(successes) + 1.0) / (total + 2.0));
  law.mode = std::clamp(static_cast<int64_t>(mode), law.lowest, law.highest);
  law.log_pmf = [=](int64_t x) { return log_hypergeometric_pmf(x, successes, failures, draws); };
  law.ratio_to_next = [=](int64_t x) {
    return (static_cast<double>(successes - x) * static_cast<double>(draws - x)) /
           (static_cast<double>(x + 1) * static_cast<double>(failures - draws + x + 1));
  };
  TestResult result;
  result.statistic = sample_odds_ratio(table);
  switch (alternative) {
    case Alternative::kGreater:
      result.p_value = upper_tail(law, table.a);
      break;
    case Alternative::kLess:
      result.p_value = lower_tail(law, table.a);
      break;
    case Alternative::kTwoSided:
      result.p_value = two_sided_tail(law, table.a);
      break;
  }
  return result;
}

}  // namespace caploop
