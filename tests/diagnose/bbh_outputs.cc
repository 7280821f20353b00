#include "bbh_outputs.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "diagnose/answer_form.h"
#include "eval/answer_shape.h"
#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "eval/rules_tolerant.h"
#include "taxonomy/tag_rules.h"
#include "test_support.h"

namespace caploop::testing {

namespace {

std::string last_question(std::string_view input) {
  size_t q = input.rfind("Q: ");
  std::string_view text = q == std::string_view::npos ? input : input.substr(q + 3);
  const size_t cue = text.rfind("\nA:");
  if (cue != std::string_view::npos) text = text.substr(0, cue);
  return std::string(text);
}

}  // namespace

const BbhRun& bbh_run() {
  static const BbhRun run = [] {
    BbhRun r;
    const auto dir = testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (name.ends_with("_few_shot_template_0-255000.json")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    const TagRuleSet& rules = TagRuleSet::builtin();
    simdjson::ondemand::parser parser;
    for (const auto& path : files) {
      const std::string name = path.filename().string();
      const std::string task = name.substr(0, name.find("_few_shot_template"));
      simdjson::padded_string json = simdjson::padded_string::load(path.string());
      simdjson::ondemand::document doc = parser.iterate(json);
      size_t index = 0;
      std::set<std::string> targets;
      for (simdjson::ondemand::object o : doc["outputs"].get_array()) {
        BbhOutput out;
        out.task = task;
        out.id = std::to_string(index++);
        out.prompt = std::string(std::string_view(o["input"]));
        out.prediction = std::string(std::string_view(o["prediction"]));
        out.target = std::string(std::string_view(o["target"]));
        out.question = last_question(out.prompt);
        TaggableItem item{"bbh", task, out.id, "Q: " + out.question, out.target, "{}"};
        out.tags = rules.apply(item);
        targets.insert(out.target);
        r.by_task[task].push_back(r.outputs.size());
        r.outputs.push_back(std::move(out));
      }
      r.task_targets[task] = std::vector<std::string>(targets.begin(), targets.end());
    }
    return r;
  }();
  return run;
}

std::string_view reasoning_of(std::string_view prediction) {
  const size_t p = prediction.rfind(kAnswerPhrase);
  std::string_view r = p == std::string_view::npos ? prediction : prediction.substr(0, p);
  while (!r.empty() && (r.back() == ' ' || r.back() == '\n')) r.remove_suffix(1);
  return r;
}

namespace {}  // namespace

bool has_answer(std::string_view prediction) { return prediction.find(kAnswerPhrase) != std::string_view::npos; }

std::string answer_of(std::string_view prediction) { return rule_or_throw("bbh").extract(prediction).answer; }

// A target of the task other than `avoid`, chosen by `pick` among the alternatives.
std::string other_target(const std::vector<std::string>& targets, const std::string& avoid, uint64_t pick) {
  std::vector<std::string> others;
  for (const std::string& t : targets) {
    if (t != avoid) others.push_back(t);
  }
  if (others.empty()) return avoid + "0";
  return others[pick % others.size()];
}

std::string with_answer(std::string_view prediction, const std::string& answer) {
  return std::string(reasoning_of(prediction)) + " " + std::string(kAnswerPhrase) + answer + ".";
}

DiagnosisInput paired_runs(const BbhRun& run, const Derive& derive, const std::string& candidate_name,
                           const Pairing& pairing) {
  const ScoringRule& reference = rule_or_throw(pairing.reference);
  const ScoringRule& lenient = rule_or_throw(lenient_rule_name_for(pairing.reference));
  const ScoringRule& first = rule_or_throw(first_answer_rule_name_for(pairing.reference));
  std::vector<std::string> baseline(run.outputs.size());
  std::vector<std::string> candidate(run.outputs.size());
  for (size_t i = 0; i < run.outputs.size(); ++i) {
    baseline[i] = pairing.base ? pairing.base(run, i) : run.outputs[i].prediction;
    candidate[i] = derive(run, i);
  }
  std::map<std::string, size_t> base_max, cand_max;
  for (size_t i = 0; i < run.outputs.size(); ++i) {
    const std::string& task = run.outputs[i].task;
    base_max[task] = std::max(base_max[task], baseline[i].size());
    cand_max[task] = std::max(cand_max[task], candidate[i].size());
  }
  DiagnosisInput input;
  input.baseline.name = "code-davinci-002-cot";
  input.candidate.name = candidate_name;
  for (RunFacts* facts : {&input.baseline, &input.candidate}) {
    facts->scoring_rule = pairing.reference;
    facts->temperature = 0.0;
    facts->stop_sequences = std::vector<std::string>{"\n\n"};
  }
  auto classify = [](const std::string& text, const Score& score, size_t run_max) {
    EndingInput in;
    in.text = text;
    in.run_max_bytes = run_max;
    return classify_ending(in, score.extraction);
  };
  for (size_t i = 0; i < run.outputs.size(); ++i) {
    const BbhOutput& out = run.outputs[i];
    PairedItem item;
    item.key = out.task + ":" + out.id;
    item.tags = out.tags;
    const Score base = reference.score(baseline[i], out.target);
    const Score cand = reference.score(candidate[i], out.target);
    const Ending base_end = classify(baseline[i], base, base_max[out.task]);
    const Ending cand_end = classify(candidate[i], cand, cand_max[out.task]);
    item.base_correct = base.correct ? 1 : 0;
    item.cand_correct = cand.correct ? 1 : 0;
    item.base_abnormal = base_end.kind != EndingKind::kStopped ? 1 : 0;
    item.cand_abnormal = cand_end.kind != EndingKind::kStopped ? 1 : 0;
    item.base_no_answer = base_end.kind == EndingKind::kNoAnswer ? 1 : 0;
    item.cand_no_answer = cand_end.kind == EndingKind::kNoAnswer ? 1 : 0;
    item.cand_correct_lenient = lenient.score(candidate[i], out.target).correct ? 1 : 0;
    item.cand_correct_first = first.score(candidate[i], out.target).correct ? 1 : 0;
    const std::vector<AnswerOption> options = answer_options_of(out.prompt);
    item.cand_correct_tolerant = tolerant_correct(candidate[i], out.target, cand.extraction, options) ? 1 : 0;
    item.base_answered = base.extraction.found ? 1 : 0;
    item.cand_answered = cand.extraction.found ? 1 : 0;
    item.base_shaped = base.extraction.found && has_reference_shape(base.extraction.answer, out.target) ? 1 : 0;
    item.cand_shaped = cand.extraction.found && has_reference_shape(cand.extraction.answer, out.target) ? 1 : 0;
    item.reference = out.target;
    item.base_answer = example_answer(base.extraction.answer);
    item.cand_answer = example_answer(cand.extraction.answer);
    item.base_prompt_hash = std::to_string(std::hash<std::string>{}(out.prompt));
    item.cand_prompt_hash =
        std::to_string(std::hash<std::string>{}(pairing.cand_prompt ? pairing.cand_prompt(run, i) : out.prompt));
    ++input.baseline.ending_counts[std::string(ending_name(base_end.kind))];
    ++input.candidate.ending_counts[std::string(ending_name(cand_end.kind))];
    input.items.push_back(std::move(item));
  }
  return input;
}

}  // namespace caploop::testing
