// pass@k, mean@k and maj@k: how often a model solves an item given several samples, per item and over items.
//
// Contract: pure functions. pass_at_k(n, c, k) is the unbiased estimator 1 - C(n-c, k)/C(n, k) (Chen et al.
// 2021) computed in its numerically stable product form; it requires 0 <= c <= n and 1 <= k <= n and throws
// Error(kUsage) otherwise. Aggregates average the per-item values over items and give the standard error of
// that mean over items (sample standard deviation / sqrt(items)); items with fewer than k samples are
// excluded and counted in `items_skipped`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace caploop {

double pass_at_k(int64_t n, int64_t c, int64_t k);

// One item's samples, in sample order.
struct ItemSamples {
  std::vector<bool> correct;         // per sample
  std::vector<std::string> answers;  // per sample, the extracted answer ("" if none) for majority voting
};

struct MetricEstimate {
  double mean = 0;
  double std_error = 0;
  int64_t items = 0;
  int64_t items_skipped = 0;
};

MetricEstimate aggregate_pass_at_k(const std::vector<ItemSamples>& items, int64_t k);
// mean@k: mean accuracy of the first k samples.
MetricEstimate aggregate_mean_at_k(const std::vector<ItemSamples>& items, int64_t k);
// maj@k: the most frequent non-empty answer among the first k samples is correct (ties: earliest first seen);
// its correctness is the flag of the first sample that gave it. An item with no non-empty answer scores 0;
// an item with fewer than k answers or flags is skipped.
MetricEstimate aggregate_maj_at_k(const std::vector<ItemSamples>& items, int64_t k);

}  // namespace caploop
