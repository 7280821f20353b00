#include "stats/heterogeneity.h"

#include <algorithm>
#include <cmath>

#include "stats/incomplete_gamma.h"
#include "stats/require_argument.h"

namespace caploop {

HeterogeneityResult cochran_q_test(std::span<const SliceEffect> effects) {
  stats_detail::require_argument(!effects.empty(), "cochran_q_test", "effects", "at least one effect");
  double weight_sum = 0.0;
  double weight_square_sum = 0.0;
  double weighted_sum = 0.0;
  for (const SliceEffect& e : effects) {
    stats_detail::require_argument(std::isfinite(e.estimate), "cochran_q_test", "estimate", "finite");
    stats_detail::require_argument(std::isfinite(e.standard_error) && e.standard_error > 0, "cochran_q_test",
                                   "standard_error", "finite and > 0");
    const double w = 1.0 / (e.standard_error * e.standard_error);
    weight_sum += w;
    weight_square_sum += w * w;
    weighted_sum += w * e.estimate;
  }
  HeterogeneityResult r;
  r.pooled_estimate = weighted_sum / weight_sum;
  r.pooled_standard_error = 1.0 / std::sqrt(weight_sum);
  for (const SliceEffect& e : effects) {
    const double deviation = (e.estimate - r.pooled_estimate) / e.standard_error;
    r.q += deviation * deviation;
  }
  r.degrees_of_freedom = static_cast<double>(effects.size() - 1);
  if (effects.size() == 1) {
    r.q = 0.0;
    return r;
  }
  r.p_value = chi_square_sf(r.q, r.degrees_of_freedom);
  if (r.q > 0) r.i_squared = std::max(0.0, (r.q - r.degrees_of_freedom) / r.q);
  const double scale = weight_sum - weight_square_sum / weight_sum;
  if (scale > 0) r.tau_squared = std::max(0.0, (r.q - r.degrees_of_freedom) / scale);
  return r;
}

}  // namespace caploop
