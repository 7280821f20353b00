// PairedChange: the accuracy change from a baseline run to a candidate run over one set of paired items, with
// the one-sided bounds and p-values the verification rules read (verify/hypothesis_decision.h).
//
// Per item i, a_i and c_i are the runs' per-item accuracies (stats/paired_outcome.h); accuracies are item
// means and delta = mean(c_i - a_i). An item is lost when c_i < a_i and gained when c_i > a_i.
// Level: `alpha` is one-sided. lower/upper are one-sided (1 - alpha) confidence bounds for delta, so
// [lower, upper] is a two-sided (1 - 2 alpha) interval (90% at alpha = 0.05). The tests and bounds are the one
// paired comparison of stats/paired_comparison.h (its contract states them) at PairedLevel::one_sided(alpha):
//   single-sample items (every item one sample in each run; test "mcnemar_exact"): McNemar's exact one-sided
//     tests (p_improvement = P(X >= c), p_regression = P(X <= c)) and the Agresti-Min bounds; p_noninferior
//     uses the same estimate and standard error, so lower > -margin exactly when p_noninferior < alpha.
//   otherwise (test "paired_t"): the samples of one item are a cluster; averaging them first makes items the
//     independent units of the paired t test over items (standard error floored at 0.5 / (n + 1)).
//     Fewer than two items leave the variance unestimable: bounds [-1, 1], p-values 1.
// Bounds are clipped to [-1, 1]. No items: n = 0, bounds [-1, 1], every p-value 1.
// Exact bounds: every change also carries the exact two-sided (1 - 2 alpha) interval of
//   verify/exact_change_interval.h (`exact_bounds`, method in `exact_method`), the one to read on small samples.
// Metric: with pass_k = 0 the per-item value is the accuracy (mean over samples). With pass_k = k >= 1 it is
//   the unbiased pass@k estimate 1 - C(n-c, k)/C(n, k) (eval/pass_at_k.h) of each run's samples; items with
//   fewer than k samples in either run are left out and counted in `short_items`. pass@k with k >= 2 always
//   uses the paired t test over items (the per-item values are not 0/1). A run's "accuracy" then means its
//   mean pass@k.
// Contract: 0 < alpha < 0.5, margin >= 0 and, per item, samples > 0 and 0 <= correct <= samples, else
// caploop::Error (kInput) naming the item. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stats/interval.h"
#include "stats/paired_outcome.h"

namespace caploop {

struct PairedChange {
  int64_t n = 0;
  double base_accuracy = 0.0;
  double cand_accuracy = 0.0;
  double delta = 0.0;                     // cand_accuracy - base_accuracy
  Interval bounds{-1.0, 1.0};             // one-sided (1 - alpha) lower and upper bounds for delta
  double p_improvement = 1.0;             // H0: delta <= 0
  double p_regression = 1.0;              // H0: delta >= 0
  double p_noninferior = 1.0;             // H0: delta <= -margin
  std::string test;                       // "mcnemar_exact" or "paired_t"
  std::string metric = "accuracy";        // "accuracy" or "pass@k"
  int64_t short_items = 0;                // items with fewer than k samples in a run (pass@k only)
  Interval exact_bounds{-1.0, 1.0};       // exact two-sided (1 - 2 alpha) interval for delta
  std::string exact_method;               // "clopper_pearson_product" or "sign_flip_inversion"
  std::vector<std::string> lost_items;    // keys with c_i < a_i, in input order
  std::vector<std::string> gained_items;  // keys with c_i > a_i, in input order
};

PairedChange measure_paired_change(std::span<const PairedOutcome> items, double alpha, double margin,
                                   int64_t pass_k = 0);

}  // namespace caploop
