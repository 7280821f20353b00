// Weak-slice mining: which conjunctions of tags does a model (or, across several runs, every model) answer
// significantly worse than the rest of the items, beyond what simpler slices already explain?
//
// Procedure (docs/slices.md has the rationale):
//  1. Slices come from enumerate_slices() (orders 1..max_order, min support).
//  2. Each slice is tested against its complement (the run's other items) in each run, one-sided "slice is
//     worse". A run where every present item has one sample uses Fisher's exact test on item counts; a run
//     with several samples per item uses a Welch-type z test on per-item scores (items are the unit, so the
//     correlation of one item's samples does not inflate significance). With several runs the slice's
//     p-value is the largest per-run p-value (an intersection-union test of "weak in every run").
//  3. Benjamini-Hochberg (default) or Benjamini-Yekutieli adjusts the p-values of all tested slices (a slice
//     is tested when both it and its complement have items in every run); q <= fdr selects candidates.
//  4. Refinement rule: a candidate of order >= 2 is kept only if, against every immediate parent P, it is
//     significantly worse than P's other items (test slice vs P minus slice, same test, in every run, at level
//     refine_alpha / C, C the number of candidates: Bonferroni over the candidates). A combination whose
//     deficit its parents already carry is therefore not reported.
//  5. Minimal explanation (slices/slice_explanation.h): candidates ranked by deficit (then impact, then
//     the key a data team can act on: slice_lattice.h names_slice_better, so of two slices with the same items
//     `operation=sorting.alphabetical` is reported and `background=linguistic & output=word_sequence` is its alias)
//     are re-tested on their residual, the items not covered by the weaknesses reported above them (residual
//     vs every other item of the run, one-sided, in every run: the largest p), with one FDR adjustment (fdr,
//     fdr_method) over the residuals. A slice whose residual is not significant is not a weakness of its own:
//     it is listed under the weakness that explains it (`explains`: alias, ancestor, descendant or overlap,
//     with the items they share and its residual). Steps 4-5 only remove BH discoveries.
//  6. Each reported weakness carries its operation decomposition (slices/operation_decomposition.h: per
//     operation part n, accuracy, deficit against the run's other items, q and share of the deficit; `split`
//     when the parts differ significantly, Cochran's Q at fdr). A split weakness is reported as its parts that
//     are significant on their own (q <= fdr) and are enumerated slices (the best-named slice with exactly the
//     part's items), when there are at least two: `task=compute_value` over counting at 9% and arithmetic at 1%
//     becomes `operation=counting.object_counting` and `operation=arithmetic...`; the union is listed under the
//     part it shares the most items with (its residual q there: the part's residual p times the candidates,
//     Bonferroni). Weaknesses are ranked by impact = items x
//     deficit (complement accuracy - slice accuracy; with several runs, the smallest per-run deficit), ties by
//     key.
// Errors: item names or outcomes whose lengths differ from the items, no runs, or invalid counts throw
// caploop::Error kInput. Pure function of its inputs; thread-safe; deterministic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "slices/operation_decomposition.h"
#include "slices/slice_lattice.h"
#include "slices/slice_stats.h"
#include "stats/interval.h"
#include "stats/multiple_testing.h"

namespace caploop {

struct MinerOptions {
  LatticeOptions lattice;
  double fdr = 0.05;
  FdrMethod fdr_method = FdrMethod::kBenjaminiHochberg;
  double refine_alpha = 0.05;  // family level of the refinement (step 4) and explaining-away (step 5) tests
  SliceStatsOptions stats;     // interval method and confidence of the reported ci
};

struct RunWeakness {
  int64_t n = 0;  // slice items present in the run
  double accuracy = 0.0;
  Interval ci{0.0, 1.0};
  double complement_accuracy = 0.0;
  double deficit = 0.0;
  double p_value = 1.0;
};

struct WeaknessResidual {
  int64_t n = 0;         // items left once the weaknesses reported above it are taken out
  double deficit = 0.0;  // of those items against every other item (smallest over runs)
  double p_value = 1.0;
  double q_value = 1.0;
};

// A significant slice that is not a weakness of its own, listed under the weakness that explains it.
struct ExplainedWeakness {
  SliceKey key;
  std::string relation;  // alias | ancestor | descendant | overlap
  int64_t n = 0;
  int64_t overlap = 0;   // items shared with the weakness
  double deficit = 0.0;  // on all its items
  double q_value = 1.0;  // on all its items
  WeaknessResidual residual;
};

struct Weakness {
  SliceKey key;
  int64_t n = 0;                     // slice items present in at least one run
  double accuracy = 0.0;             // mean over runs of the per-run accuracy
  Interval ci{0.0, 1.0};             // one run: its interval; several: from the lowest lower to the highest upper bound
  double complement_accuracy = 0.0;  // mean over runs
  double deficit = 0.0;              // smallest per-run deficit
  double impact = 0.0;               // n x deficit
  double p_value = 1.0;              // largest per-run p-value against the complement
  double q_value = 1.0;
  std::vector<std::string> items;      // the caller's names ("<task>:<id>") of the slice items, ascending index
  std::vector<uint32_t> item_indices;  // the same items as indices into the caller's arrays
  std::vector<RunWeakness> runs;
  WeaknessResidual residual;
  std::vector<ExplainedWeakness> explains;
  OperationDecomposition operations;
};

struct MiningResult {
  std::vector<Weakness> weaknesses;  // ranked by impact
  int64_t slices_enumerated = 0;
  int64_t slices_tested = 0;
  int64_t significant = 0;  // q <= fdr, before steps 4-5
  int64_t runs = 0;
  MinerOptions options;
};

// `runs` holds one outcome array per run, each aligned with `items`; `item_names` names each item.
MiningResult mine_weaknesses(std::span<const ItemTags> items, std::span<const std::string> item_names,
                             std::span<const std::vector<ItemOutcome>> runs, const MinerOptions& options);

}  // namespace caploop
