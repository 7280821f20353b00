// Slice statistics: accuracy, interval, empirical-Bayes shrunken accuracy and clustered standard error of each
// slice in one run, plus the roll-up of values too small to report on their own.
//
// Outcomes are per item, aligned with the item array the slices index: ItemOutcome{samples, correct}, where
// samples == 0 means the item is not in the run (it then counts nowhere). An item's score is its share
// correct, correct / samples, and a slice's accuracy is the mean of its items' scores (each item weighs the
// same however many samples it has; with one sample per item this is the share of items answered correctly).
//
//   ci: when every item of the slice has exactly one sample, the Wilson interval (default; shorter than
//       Clopper-Pearson with coverage near nominal on average) or Clopper-Pearson (exact, conservative) on
//       (correct items, items). Otherwise (pass@k-style runs) accuracy +- z * SE, SE the standard error of the
//       mean of item scores (items independent), clipped to [0, 1].
//   shrunken_accuracy / shrunken_ci: the posterior mean and equal-tailed credible interval under a Beta prior
//       fitted by the method of moments (stats/beta_binomial.h) to all slices of the same order in the call, on
//       item-level counts (trials = items, successes = sum of item scores rounded), so that multi-sample runs
//       do not pretend their samples are independent. Slices of one order overlap, so the fit is a pragmatic
//       pooling device, not a likelihood over independent groups.
//   clustered_se: the cluster-robust (CR1) standard error of the accuracy when items share a cluster (by
//       default their benchmark/task, see cluster_ids_by_task); +infinity with fewer than two clusters.
//
// Roll-up: a value below the minimum support is not a slice of its own. Its items stay in every report: they
// count in the nearest ancestor value that has enough support (axis values are hierarchical, and an ancestor's
// slice always contains its descendants' items) or, for a flat dimension or a top-level value, only in the
// overall total. roll_up_small_values() lists, for the caller's report, each such value and where it went.
//
// Errors: outcomes of the wrong length or with correct > samples or negative counts throw caploop::Error
// kInput (field "outcomes"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "slices/slice_lattice.h"
#include "stats/interval.h"

namespace caploop {

struct ItemOutcome {
  int64_t samples = 0;  // 0: the item is not in the run
  int64_t correct = 0;
};

enum class IntervalMethod { kWilson, kClopperPearson };

struct SliceStatsOptions {
  double confidence = 0.95;
  IntervalMethod interval = IntervalMethod::kWilson;
};

struct SliceRunStats {
  int64_t items = 0;  // items of the slice present in the run
  int64_t samples = 0;
  int64_t correct_samples = 0;
  double accuracy = 0.0;  // mean item score; 0 when items == 0
  Interval ci{0.0, 1.0};
  double shrunken_accuracy = 0.0;
  Interval shrunken_ci{0.0, 1.0};
  double clustered_se = 0.0;
  int64_t clusters = 0;
};

// Checks outcomes against the item count; throws kInput naming the first bad item.
void validate_outcomes(std::span<const ItemOutcome> outcomes, size_t item_count);

// One cluster id per item from its `benchmark` and `task` dimensions (ids in order of first appearance).
std::vector<uint32_t> cluster_ids_by_task(std::span<const ItemTags> items);

// Statistics of one item set without shrinkage (shrunken fields equal the raw accuracy and ci).
SliceRunStats item_set_stats(std::span<const uint32_t> items, std::span<const ItemOutcome> outcomes,
                             std::span<const uint32_t> cluster_of_item, const SliceStatsOptions& options);

// Statistics of every slice, with shrinkage fitted per order. cluster_of_item may be empty (no clustering:
// clustered_se then treats each item as its own cluster).
std::vector<SliceRunStats> compute_slice_stats(std::span<const Slice> slices, std::span<const ItemOutcome> outcomes,
                                               std::span<const uint32_t> cluster_of_item,
                                               const SliceStatsOptions& options);

struct RolledUpValue {
  SliceCondition condition;
  int64_t items = 0;
  std::string rolled_into;  // the ancestor value that absorbs the items, or "" for the overall total
};

// The values below min_support, sorted by condition, with where their items are reported.
std::vector<RolledUpValue> roll_up_small_values(std::span<const ValueSupport> supports, int64_t min_support);

}  // namespace caploop
