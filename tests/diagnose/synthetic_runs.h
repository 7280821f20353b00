// Builders of synthetic paired runs for the diagnose tests: items spread over tasks, each with one operation
// tag, and helpers that turn a chosen set of items into losses or gains with given endings.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "diagnose/diagnosis_input.h"
#include "stats/random.h"

namespace caploop::testing {

// n items over `tasks` tasks ("t0".."t{tasks-1}", item i in task i % tasks); task k carries operation
// "op_k" where op_0 = "algebra", op_1 = "counting", others "logic.deduction". A seeded share of
// `base_accuracy` of the items is correct in both runs; every sample ends normally; prompts match.
inline DiagnosisInput make_identical_runs(int64_t n, int tasks, double base_accuracy, uint64_t seed) {
  DiagnosisInput input;
  input.baseline.name = "base";
  input.candidate.name = "cand";
  input.baseline.scoring_rule = input.candidate.scoring_rule = "bbh";
  input.baseline.max_new_tokens = input.candidate.max_new_tokens = 512;
  Xoshiro256StarStar rng(seed);
  for (int64_t i = 0; i < n; ++i) {
    PairedItem item;
    const int task = static_cast<int>(i % tasks);
    item.key = "t" + std::to_string(task) + ":" + std::to_string(i);
    item.tags.dims["benchmark"] = "syn";
    item.tags.dims["task"] = "t" + std::to_string(task);
    item.tags.add(Axis::kOperation, task == 0 ? "algebra" : task == 1 ? "counting" : "logic.deduction");
    const bool correct = rng.uniform() < base_accuracy;
    item.base_correct = item.cand_correct = correct ? 1 : 0;
    item.cand_correct_lenient = item.cand_correct_first = item.cand_correct;
    item.base_prompt_hash = item.cand_prompt_hash = "h" + std::to_string(i);
    input.items.push_back(std::move(item));
  }
  return input;
}

// Applies `change` to every item for which `select(index, item)` is true.
inline void for_items(DiagnosisInput& input, const std::function<bool(size_t, const PairedItem&)>& select,
                      const std::function<void(PairedItem&)>& change) {
  for (size_t i = 0; i < input.items.size(); ++i) {
    if (select(i, input.items[i])) change(input.items[i]);
  }
}

}  // namespace caploop::testing
