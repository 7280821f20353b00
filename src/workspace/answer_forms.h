// Answer forms of a stored run: per item, how many samples have an answer the reference rule extracts, how
// many of those have the reference's shape (eval/answer_shape.h), how many the normalisation-tolerant tier
// judges right (eval/rules_tolerant.h, with the options listed in the item's prompt), and the first sample's
// answer as an example. The diagnosis reads them to tell a change of answer form from a wrong answer.
//
// Contract: load_answer_forms() reads the run's responses with their prompts and references, applies
// `rule_of_task(benchmark, task)` to each (no scores are stored) and returns a map keyed by workspace item id.
// Pure read of the workspace.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "store/workspace_db.h"

namespace caploop {

struct ItemAnswerForms {
  int64_t samples = 0;
  int64_t answered = 0;
  int64_t shaped = 0;
  int64_t tolerant_correct = 0;
  std::string reference;
  std::string first_answer;  // shortened for examples (diagnose/answer_form.h example_answer)
};

std::map<int64_t, ItemAnswerForms> load_answer_forms(
    WorkspaceDb& ws, const RunRow& run,
    const std::function<std::string(const std::string&, const std::string&)>& rule_of_task);

}  // namespace caploop
