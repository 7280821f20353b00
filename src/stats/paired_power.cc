#include "stats/paired_power.h"

#include <cmath>
#include <limits>

#include "stats/normal_distribution.h"
#include "stats/require_argument.h"

namespace caploop {
namespace {

struct Quantiles {
  double z_alpha = 0.0;
  double z_beta = 0.0;
};

Quantiles quantiles_of(const char* function, const PowerTarget& target) {
  stats_detail::require_argument(target.alpha > 0 && target.alpha < 1, function, "alpha", "0 < alpha < 1");
  stats_detail::require_argument(target.power >= 0.5 && target.power < 1, function, "power", "0.5 <= power < 1");
  const double tail = target.two_sided ? 0.5 * target.alpha : target.alpha;
  return {-normal_quantile(tail), normal_quantile(target.power)};
}

}  // namespace

double paired_proportion_minimum_detectable_effect(int64_t n, double discordance_rate, const PowerTarget& target) {
  const Quantiles z = quantiles_of("paired_proportion_minimum_detectable_effect", target);
  stats_detail::require_argument(n >= 1, "paired_proportion_minimum_detectable_effect", "n", "n >= 1");
  stats_detail::require_argument(discordance_rate >= 0 && discordance_rate <= 1,
                                 "paired_proportion_minimum_detectable_effect", "discordance_rate",
                                 "0 <= discordance_rate <= 1");
  const double psi = discordance_rate;
  const double root_n = std::sqrt(static_cast<double>(n));
  const auto margin = [&](double delta) {
    return delta * root_n - z.z_alpha * std::sqrt(psi) - z.z_beta * std::sqrt(std::max(0.0, psi - delta * delta));
  };
  if (psi == 0 || margin(psi) < 0) return std::numeric_limits<double>::infinity();
  double lo = 0.0;
  double hi = psi;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (margin(mid) >= 0) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

int64_t paired_proportion_sample_size(double effect, double discordance_rate, const PowerTarget& target) {
  const Quantiles z = quantiles_of("paired_proportion_sample_size", target);
  stats_detail::require_argument(discordance_rate >= 0 && discordance_rate <= 1, "paired_proportion_sample_size",
                                 "discordance_rate", "0 <= discordance_rate <= 1");
  const double delta = std::fabs(effect);
  stats_detail::require_argument(delta > 0 && delta <= discordance_rate, "paired_proportion_sample_size", "effect",
                                 "0 < |effect| <= discordance_rate");
  const double psi = discordance_rate;
  const double root = z.z_alpha * std::sqrt(psi) + z.z_beta * std::sqrt(psi - delta * delta);
  return static_cast<int64_t>(std::ceil(root * root / (delta * delta) - 1e-9));
}

}  // namespace caploop
