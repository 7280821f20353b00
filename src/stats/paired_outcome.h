// PairedOutcome: how a baseline run and a candidate run did on one evaluation item — the unit every paired
// comparison (stats/paired_comparison.h) is computed from, in diagnosis (diagnose/diagnosis_input.h extends it
// with the evidence a diagnosis reads) and in verification.
//
// Contract: a plain value. `key` is the item's identity across runs, "<task>:<id>" (as in diagnosis and plan
// files). Counts are samples scored and samples correct under the scoring rule, per run; an item enters a
// comparison only when both runs have at least one sample (samples > 0; one sample each by default). The
// per-item accuracy of a run is correct / samples (the mean over its samples), so an item with several samples
// counts once, with its mean: items, not samples, are the independent units of every test.
// Thread safety: an immutable value once built.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>

namespace caploop {

struct PairedOutcome {
  std::string key;
  int64_t base_samples = 1;
  int64_t base_correct = 0;
  int64_t cand_samples = 1;
  int64_t cand_correct = 0;

  double base_accuracy() const { return static_cast<double>(base_correct) / static_cast<double>(base_samples); }
  double cand_accuracy() const { return static_cast<double>(cand_correct) / static_cast<double>(cand_samples); }
  // One sample in each run: the per-item accuracies are 0 or 1 (McNemar's setting).
  bool single_sample() const { return base_samples == 1 && cand_samples == 1; }
};

// True when every item of `items` (PairedOutcomes, or types extending them) has exactly one sample in each run;
// an empty set counts as single-sample.
template <typename Outcomes>
bool all_single_sample(const Outcomes& items) {
  return std::all_of(std::begin(items), std::end(items), [](const PairedOutcome& i) { return i.single_sample(); });
}

}  // namespace caploop
