// PairedDifference: the accuracy change between a baseline and a candidate over a set of paired items, with
// its interval and two-sided test — the statistic computed for the whole comparison and for every slice.
//
// It is the one paired comparison of stats/paired_comparison.h (its contract states the tests and intervals)
// over the items' accuracies a_i = base_correct / base_samples and c_i = cand_correct / cand_samples, at a
// two-sided `confidence`; diagnosis reads n, the accuracies, delta, ci, standard_error, p_value (two-sided),
// lost, gained and test. `binary` (every item of the whole comparison single-sample, is_single_sample) picks
// McNemar and Agresti-Min, else the floored paired t test.
// Pure functions; thread-safe. Indices must be valid positions in `items`.
#pragma once

#include <cstdint>
#include <span>

#include "diagnose/diagnosis_input.h"
#include "stats/paired_comparison.h"

namespace caploop {

using PairedDifference = PairedComparison;

// True when every item has exactly one sample in each run.
bool is_single_sample(std::span<const PairedItem> items);

// The paired difference over items[indices[k]]; an empty index set gives n = 0, p = 1, ci = [-1, 1].
PairedDifference paired_difference(std::span<const PairedItem> items, std::span<const uint32_t> indices, bool binary,
                                   double confidence);

}  // namespace caploop
