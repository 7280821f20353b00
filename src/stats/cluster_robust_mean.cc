#include "stats/cluster_robust_mean.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "stats/require_argument.h"

namespace caploop {

ClusteredMean cluster_robust_mean(std::span<const ClusterTotal> clusters, ClusterCorrection correction) {
  ClusteredMean r;
  double total = 0.0;
  double total_squares = 0.0;
  for (const ClusterTotal& c : clusters) {
    stats_detail::require_argument(c.count >= 0 && c.sum_of_squares >= 0, "cluster_robust_mean", "clusters",
                                   "count >= 0 and sum_of_squares >= 0 in every cluster");
    if (c.count == 0) continue;
    r.observations += c.count;
    ++r.clusters;
    total += c.sum;
    total_squares += c.sum_of_squares;
  }
  stats_detail::require_argument(r.observations > 0, "cluster_robust_mean", "clusters", "at least one observation");
  const double n = static_cast<double>(r.observations);
  r.mean = total / n;
  double residual_squares = 0.0;
  for (const ClusterTotal& c : clusters) {
    if (c.count == 0) continue;
    const double residual = c.sum - static_cast<double>(c.count) * r.mean;
    residual_squares += residual * residual;
  }
  const double deviation_squares = std::max(0.0, total_squares - n * r.mean * r.mean);
  r.iid_standard_error = r.observations > 1 ? std::sqrt(deviation_squares / (n * (n - 1.0))) : 0.0;
  if (r.clusters < 2) {
    r.standard_error = std::numeric_limits<double>::infinity();
    r.design_effect = std::numeric_limits<double>::infinity();
    return r;
  }
  const double g = static_cast<double>(r.clusters);
  const double factor = correction == ClusterCorrection::kCR1 ? g / (g - 1.0) : 1.0;
  r.standard_error = std::sqrt(factor * residual_squares) / n;
  if (r.iid_standard_error > 0) {
    r.design_effect = (r.standard_error / r.iid_standard_error) * (r.standard_error / r.iid_standard_error);
  } else {
    r.design_effect = r.standard_error > 0 ? std::numeric_limits<double>::infinity() : 1.0;
  }
  return r;
}

ClusteredMean cluster_robust_mean(std::span<const double> outcomes, std::span<const int64_t> cluster_ids,
                                  ClusterCorrection correction) {
  stats_detail::require_argument(outcomes.size() == cluster_ids.size(), "cluster_robust_mean", "cluster_ids",
                                 "one id per outcome");
  std::vector<size_t> order(outcomes.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cluster_ids[a] < cluster_ids[b]; });
  std::vector<ClusterTotal> totals;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    stats_detail::require_argument(std::isfinite(outcomes[i]), "cluster_robust_mean", "outcomes", "finite values");
    if (k == 0 || cluster_ids[i] != cluster_ids[order[k - 1]]) totals.push_back({});
    totals.back().sum += outcomes[i];
    totals.back().sum_of_squares += outcomes[i] * outcomes[i];
    ++totals.back().count;
  }
  return cluster_robust_mean(totals, correction);
}

}  // namespace caploop
