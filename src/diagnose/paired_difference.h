// PairedDifference: the accuracy change between a baseline and a candidate over a set of paired items, with
// its interval and test — the statistic computed for the whole comparison and for every slice.
//
// Per item i, a_i = base_correct / base_samples and c_i = cand_correct / cand_samples; accuracies are item
// means (macro over items), delta = mean(c_i - a_i). An item is lost when c_i < a_i and gained when c_i > a_i.
//   Single-sample runs (every item one sample in each run; `binary`): McNemar's exact two-sided test on
//     b = lost, c = gained (stats/mcnemar_test.h); interval of Agresti and Min (Biometrics 61, 2005), the Wald
//     interval after adding 1/2 to each of the four cells; its standard error is never 0.
//   Multi-sample runs: the paired t test over items on (a_i, c_i) (stats/paired_tests.h) and its t interval;
//     the standard error is floored at 0.5 / (n + 1) and the interval and p-value use the floored value, so a
//     few items that all changed alike (sample variance 0) never read as certainty; the floor binds only for
//     small n or near-identical changes.
// Pure functions; thread-safe. Indices must be valid positions in `items`.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "diagnose/diagnosis_input.h"
#include "stats/interval.h"

namespace caploop {

struct PairedDifference {
  int64_t n = 0;
  double base_accuracy = 0.0;
  double cand_accuracy = 0.0;
  double delta = 0.0;            // cand_accuracy - base_accuracy
  Interval ci;
  double standard_error = 0.0;   // > 0, usable as a heterogeneity weight
  double p_value = 1.0;          // two-sided
  int64_t lost = 0;              // McNemar b (items with c_i < a_i)
  int64_t gained = 0;            // McNemar c (items with c_i > a_i)
  std::string_view test;         // "mcnemar_exact" or "paired_t"
};

// True when every item has exactly one sample in each run.
bool is_single_sample(std::span<const PairedItem> items);

double base_item_accuracy(const PairedItem& item);
double cand_item_accuracy(const PairedItem& item);

// The paired difference over items[indices[k]]; an empty index set gives n = 0, p = 1, ci = [-1, 1].
PairedDifference paired_difference(std::span<const PairedItem> items, std::span<const uint32_t> indices,
                                   bool binary, double confidence);

}  // namespace caploop
