#include "workspace/answer_forms.h"

#include <unordered_map>
#include <vector>

#include "diagnose/answer_form.h"
#include "eval/answer_shape.h"
#include "eval/rule_registry.h"
#include "eval/rules_tolerant.h"
#include "store/run_item_texts.h"
#include "store/text_store.h"

namespace caploop {

std::map<int64_t, ItemAnswerForms> load_answer_forms(
    WorkspaceDb& ws, const RunRow& run,
    const std::function<std::string(const std::string&, const std::string&)>& rule_of_task) {
  std::map<std::pair<std::string, std::string>, const ScoringRule*> rules;  // by (benchmark, task)
  std::map<int64_t, ItemAnswerForms> out;
  // The answer options each distinct prompt lists (items and runs share prompts).
  TextStore texts(ws);
  std::unordered_map<int64_t, std::vector<AnswerOption>> options_of_prompt;
  std::pair<std::string, std::string> task_key;
  const ScoringRule* rule = nullptr;
  for_each_response_with_prompt(ws, run.id, [&](const ResponseWithPrompt& row) {
    if (!rule || row.benchmark != task_key.first || row.task != task_key.second) {
      task_key = {std::string(row.benchmark), std::string(row.task)};
      auto it = rules.find(task_key);
      if (it == rules.end()) {
        it = rules.emplace(task_key, &rule_or_throw(rule_of_task(task_key.first, task_key.second))).first;
      }
      rule = it->second;
    }
    auto options = options_of_prompt.find(row.prompt_text);
    if (options == options_of_prompt.end()) {
      options = options_of_prompt.emplace(row.prompt_text, answer_options_of(texts.read(row.prompt_text))).first;
    }
    const Score score = rule->score(row.text, row.reference);
    ItemAnswerForms& f = out[row.item_id];
    if (f.samples == 0) {
      f.reference = std::string(row.reference);
      f.first_answer = example_answer(score.extraction.answer);
    }
    ++f.samples;
    if (score.extraction.found) {
      ++f.answered;
      f.shaped += has_reference_shape(score.extraction.answer, row.reference) ? 1 : 0;
    }
    f.tolerant_correct += tolerant_correct(row.text, row.reference, score.extraction, options->second) ? 1 : 0;
  });
  return out;
}

}  // namespace caploop
