#include "workspace/answer_forms.h"

#include "diagnose/answer_form.h"
#include "eval/answer_shape.h"
#include "eval/rule_registry.h"
#include "eval/rules_tolerant.h"
#include "store/sqlite.h"

namespace caploop {

std::map<int64_t, ItemAnswerForms> load_answer_forms(
    WorkspaceDb& ws, const RunRow& run, const std::function<std::string(const std::string&, const std::string&)>& rule_of_task) {
  Statement st(ws.db(),
               "SELECT r.item_id, i.benchmark, ri.prompt, ri.reference, r.text, i.task FROM responses r "
               "JOIN run_items ri ON ri.run_id = r.run_id AND ri.item_id = r.item_id "
               "JOIN items i ON i.id = r.item_id WHERE r.run_id = ? ORDER BY r.item_id, r.sample_index");
  st.bind(1, run.id);
  std::map<std::pair<std::string, std::string>, const ScoringRule*> rules;  // by (benchmark, task)
  std::map<int64_t, ItemAnswerForms> out;
  int64_t options_item = -1;
  std::vector<AnswerOption> options;
  while (st.step()) {
    const int64_t item_id = st.int64(0);
    const std::string benchmark = st.str(1);
    std::pair<std::string, std::string> task_key(benchmark, st.str(5));
    auto rule = rules.find(task_key);
    if (rule == rules.end()) {
      rule = rules.emplace(task_key, &rule_or_throw(rule_of_task(task_key.first, task_key.second))).first;
    }
    const std::string reference = st.str(3);
    const std::string text = st.str(4);
    if (item_id != options_item) {
      options = answer_options_of(st.str(2));
      options_item = item_id;
    }
    const Score score = rule->second->score(text, reference);
    ItemAnswerForms& f = out[item_id];
    if (f.samples == 0) {
      f.reference = reference;
      f.first_answer = example_answer(score.extraction.answer);
    }
    ++f.samples;
    if (score.extraction.found) {
      ++f.answered;
      f.shaped += has_reference_shape(score.extraction.answer, reference) ? 1 : 0;
    }
    f.tolerant_correct += tolerant_correct(text, reference, score.extraction, options) ? 1 : 0;
  }
  return out;
}

}  // namespace caploop
