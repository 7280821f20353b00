#include "stats/proportion_interval.h"

#include <algorithm>
#include <cmath>

#include "stats/incomplete_beta.h"
#include "stats/normal_distribution.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

void check_counts(const char* function, int64_t k, int64_t n, double confidence) {
  stats_detail::require_argument(n >= 0, function, "n", "n >= 0");
  stats_detail::require_argument(k >= 0 && k <= n, function, "k", "0 <= k <= n");
  stats_detail::require_argument(confidence > 0 && confidence < 1, function, "confidence", "0 < confidence < 1");
}

}  // namespace

Interval wilson_interval(int64_t k, int64_t n, double confidence) {
  check_counts("wilson_interval", k, n, confidence);
  if (n == 0) return {0.0, 1.0};
  const double z = normal_quantile(0.5 + 0.5 * confidence);
  const double z2 = z * z;
  const double kd = static_cast<double>(k);
  const double nd = static_cast<double>(n);
  const double denominator = nd + z2;
  const double center = (kd + 0.5 * z2) / denominator;
  const double half = z / denominator * std::sqrt(kd * (nd - kd) / nd + 0.25 * z2);
  Interval out{std::max(0.0, center - half), std::min(1.0, center + half)};
  if (k == 0) out.lower = 0.0;
  if (k == n) out.upper = 1.0;
  return out;
}

Interval clopper_pearson_interval(int64_t k, int64_t n, double confidence) {
  check_counts("clopper_pearson_interval", k, n, confidence);
  if (n == 0) return {0.0, 1.0};
  const double half_alpha = 0.5 * (1.0 - confidence);
  const double kd = static_cast<double>(k);
  const double nd = static_cast<double>(n);
  Interval out{0.0, 1.0};
  if (k > 0) out.lower = beta_quantile(kd, nd - kd + 1.0, half_alpha);
  if (k < n) out.upper = beta_quantile_upper(kd + 1.0, nd - kd, half_alpha);
  return out;
}

}  // namespace caploop
