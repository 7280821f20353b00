#include "stats/two_proportion_z_test.h"

#include <algorithm>
#include <cmath>

#include "stats/normal_distribution.h"
#include "stats/require_argument.h"

namespace caploop {

TestResult two_proportion_z_test(int64_t k1, int64_t n1, int64_t k2, int64_t n2, Alternative alternative) {
  stats_detail::require_argument(n1 >= 1 && n2 >= 1, "two_proportion_z_test", "n1", "n1 >= 1 and n2 >= 1");
  stats_detail::require_argument(k1 >= 0 && k1 <= n1 && k2 >= 0 && k2 <= n2, "two_proportion_z_test", "k1",
                                 "0 <= k1 <= n1 and 0 <= k2 <= n2");
  const double a = static_cast<double>(n1);
  const double b = static_cast<double>(n2);
  const double pooled = (static_cast<double>(k1) + static_cast<double>(k2)) / (a + b);
  TestResult result;
  if (pooled <= 0 || pooled >= 1) return result;
  const double difference = static_cast<double>(k1) / a - static_cast<double>(k2) / b;
  const double z = difference / std::sqrt(pooled * (1.0 - pooled) * (1.0 / a + 1.0 / b));
  result.statistic = z;
  switch (alternative) {
    case Alternative::kGreater:
      result.p_value = normal_sf(z);
      break;
    case Alternative::kLess:
      result.p_value = normal_cdf(z);
      break;
    case Alternative::kTwoSided:
      result.p_value = std::min(1.0, 2.0 * normal_sf(std::fabs(z)));
      break;
  }
  return result;
}

}  // namespace caploop
