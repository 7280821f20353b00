// PairedOutcome: how a baseline run and a candidate run did on one evaluation item — the unit every
// verification test is computed from.
//
// Contract: a plain value. `key` is the item's identity across runs, "<task>:<id>" (as in diagnosis and plan
// files). Counts are samples scored and samples correct under the scoring rule, per run; an item enters a
// comparison only when both runs have at least one sample (samples > 0). The per-item accuracy of a run is
// correct / samples (the mean over its samples), so an item with several samples counts once, with its mean:
// items, not samples, are the independent units of every test. Thread safety: an immutable value once built.
#pragma once

#include <cstdint>
#include <string>

namespace caploop {

struct PairedOutcome {
  std::string key;
  int64_t base_samples = 0;
  int64_t base_correct = 0;
  int64_t cand_samples = 0;
  int64_t cand_correct = 0;

  double base_accuracy() const { return static_cast<double>(base_correct) / static_cast<double>(base_samples); }
  double cand_accuracy() const { return static_cast<double>(cand_correct) / static_cast<double>(cand_samples); }
};

}  // namespace caploop
