#include "stats/multiple_testing.h"

#include <algorithm>
#include <cstddef>
#include <numeric>

#include "stats/require_argument.h"

namespace caploop {
namespace {

std::vector<size_t> ascending_order(const char* function, std::span<const double> p_values) {
  for (double p : p_values) {
    stats_detail::require_argument(p >= 0 && p <= 1, function, "p_values", "every p-value in [0, 1]");
  }
  std::vector<size_t> order(p_values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  return order;
}

std::vector<double> step_up(const char* function, std::span<const double> p_values, double factor) {
  const std::vector<size_t> order = ascending_order(function, p_values);
  const double m = static_cast<double>(p_values.size());
  std::vector<double> adjusted(p_values.size());
  double running_min = 1.0;
  for (size_t rank = p_values.size(); rank-- > 0;) {
    const size_t i = order[rank];
    running_min = std::min(running_min, factor * m * p_values[i] / static_cast<double>(rank + 1));
    adjusted[i] = running_min;
  }
  return adjusted;
}

}  // namespace

std::vector<double> benjamini_hochberg(std::span<const double> p_values) {
  return step_up("benjamini_hochberg", p_values, 1.0);
}

std::vector<double> benjamini_yekutieli(std::span<const double> p_values) {
  double harmonic = 0.0;
  for (size_t l = p_values.size(); l >= 1; --l) harmonic += 1.0 / static_cast<double>(l);  // small terms first
  return step_up("benjamini_yekutieli", p_values, harmonic);
}

std::vector<double> holm(std::span<const double> p_values) {
  const std::vector<size_t> order = ascending_order("holm", p_values);
  const size_t m = p_values.size();
  std::vector<double> adjusted(m);
  double running_max = 0.0;
  for (size_t rank = 0; rank < m; ++rank) {
    const size_t i = order[rank];
    running_max = std::max(running_max, std::min(1.0, static_cast<double>(m - rank) * p_values[i]));
    adjusted[i] = running_max;
  }
  return adjusted;
}

}  // namespace caploop
