// Broken scoring: tasks whose scores say more about the scoring rule than about the model — accuracy at or
// near 0% in both runs with most samples lacking an answer the rule can read (the rule does not fit the
// answer format). They carry no information about the change, so the diagnosis keeps them out of the
// comparison and slice mining and names them instead.
//
// find_broken_scoring(): per task (the item key's part before ':'), a task is broken when in BOTH runs its
// accuracy (correct / samples) <= options.max_broken_accuracy and its no-answer share (no_answer / samples)
// >= options.min_broken_no_answer_share. `rule` is the runs' scoring rule as recorded (RunFacts). Sorted by
// task. without_tasks() returns the input without the items of the named tasks (run facts and unpaired
// counts kept). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnose/diagnosis_input.h"
#include "diagnose/diagnosis_options.h"

namespace caploop {

struct BrokenScoringTask {
  std::string task;
  std::string rule;
  int64_t items = 0;
  double base_accuracy = 0.0;
  double cand_accuracy = 0.0;
  double base_no_answer_share = 0.0;
  double cand_no_answer_share = 0.0;
};

std::vector<BrokenScoringTask> find_broken_scoring(const DiagnosisInput& input, const DiagnosisOptions& options);
DiagnosisInput without_tasks(const DiagnosisInput& input, const std::vector<BrokenScoringTask>& tasks);

}  // namespace caploop
