#include "workspace/diagnosis_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "eval/rule_registry.h"
#include "io/json_parser.h"
#include "workspace/answer_forms.h"
#include "workspace/item_tagging.h"
#include "workspace/run_outcomes.h"
#include "workspace/run_pairing.h"
#include "workspace/run_scoring.h"

namespace caploop {

namespace {

// num_fewshot as the lm-eval importer records it in the generation's extra_json: "num_fewshot" (one number),
// else "lm_eval_per_task": {"<task>": {"num_fewshot": n}} — one number when every task agrees, else per task.
void read_num_fewshot(const std::string& extra_json, RunFacts& f) {
  if (extra_json.empty() || extra_json == "{}") return;
  JsonParser parser;
  simdjson::dom::element root = parser.parse(extra_json, SourceLocation{"runs.extra_json", 0, ""});
  int64_t n = 0;
  if (root["num_fewshot"].get(n) == simdjson::SUCCESS) {
    f.num_fewshot = n;
    return;
  }
  simdjson::dom::object tasks;
  if (root["lm_eval_per_task"].get(tasks) != simdjson::SUCCESS) return;
  for (auto [task, value] : tasks) {
    if (value["num_fewshot"].get(n) == simdjson::SUCCESS) f.num_fewshot_by_task[std::string(task)] = n;
  }
  bool uniform = !f.num_fewshot_by_task.empty();
  for (const auto& [task, k] : f.num_fewshot_by_task) uniform = uniform && k == f.num_fewshot_by_task.begin()->second;
  if (uniform) {
    f.num_fewshot = f.num_fewshot_by_task.begin()->second;
    f.num_fewshot_by_task.clear();
  }
}

RunFacts facts_of(const RunRow& run, const std::string& rule, const std::map<int64_t, ItemRunOutcome>& outcomes) {
  RunFacts f;
  f.name = run.info.name;
  f.model = run.info.model;
  const auto& g = run.info.generation;
  f.max_new_tokens = g.max_new_tokens;
  if (!g.stop_sequences.empty()) f.stop_sequences = g.stop_sequences;
  f.temperature = g.temperature;
  f.top_p = g.top_p;
  read_num_fewshot(g.extra_json, f);
  f.scoring_rule = rule;
  int64_t abnormal = 0, samples = 0, no_answer = 0, truncated = 0, ran_on = 0, repetition = 0;
  for (const auto& [id, o] : outcomes) {
    samples += o.samples;
    abnormal += o.abnormal;
    no_answer += o.no_answer;
    truncated += o.truncated;
    ran_on += o.ran_on;
    repetition += o.degenerate_repetition;
  }
  // Ending names as eval/ending.h spells them (the pages colour them alike: report/ending_colors.h).
  f.ending_counts["stopped"] = samples - abnormal;
  f.ending_counts["truncated"] = truncated;
  f.ending_counts["ran_on"] = ran_on;
  f.ending_counts["degenerate_repetition"] = repetition;
  f.ending_counts["no_answer"] = no_answer;
  return f;
}

// The value stored under `id`, removed from the map (each item is read once, so the maps shrink as the pairing
// grows and the two are not held in full at once). Throws std::out_of_range like map::at when absent.
template <typename Map>
typename Map::mapped_type take(Map& map, int64_t id) {
  auto node = map.extract(id);
  if (node.empty()) throw std::out_of_range("diagnosis: item missing from a run's table");
  return std::move(node.mapped());
}

}  // namespace

DiagnosisInput build_diagnosis_input(WorkspaceDb& ws, const DiagnosisRequest& req, const ItemTagger& tagger) {
  RunRow base = ws.run_or_throw(req.baseline);
  RunRow cand = ws.run_or_throw(req.candidate);
  // Each task is judged by the rule `summary` uses for it (the harness's way by default), in both runs the
  // baseline's choice, so the two runs are scored alike; the re-scoring tiers follow that rule.
  const TaskRuleChoice choice(ws, base, req.rule);
  auto reference = [&](const std::string& b, const std::string& t) { return choice.rule(b, t); };
  auto lenient = [&](const std::string& b, const std::string& t) {
    return std::string(lenient_rule_name_for(reference(b, t)));
  };
  auto first = [&](const std::string& b, const std::string& t) {
    return std::string(first_answer_rule_name_for(reference(b, t)));
  };
  auto base_out = load_run_outcomes_with(ws, base, reference, req.threads, nullptr);
  auto cand_out = load_run_outcomes_with(ws, cand, reference, req.threads, nullptr);
  auto cand_tiers = load_correct_counts(ws, cand, {lenient, first}, req.threads);
  auto& cand_lenient = cand_tiers[0];
  auto& cand_first = cand_tiers[1];
  auto base_forms = load_answer_forms(ws, base, reference);
  auto cand_forms = load_answer_forms(ws, cand, reference);
  auto base_prompts = prompt_hashes(ws, base.id);
  auto cand_prompts = prompt_hashes(ws, cand.id);

  DiagnosisInput in;
  std::set<std::string> rules_used;
  auto items = tag_items_of_runs(ws, {base.id, cand.id}, tagger);
  std::vector<int64_t> item_ids;
  item_ids.reserve(items.size());
  for (const auto& it : items) item_ids.push_back(it.item_id);
  const RunPairing pairing = pair_runs(item_ids, base_out, cand_out);
  in.only_in_baseline = pairing.only_in_baseline;
  in.only_in_candidate = pairing.only_in_candidate;
  in.items.reserve(pairing.paired.size());  // no doubling while it grows: the pairing is the largest block
  for (size_t position : pairing.paired) {
    auto& it = items[position];  // its tags move into the pairing (each position is paired once)
    const ItemRunOutcome& b = base_out.at(it.item_id);
    const ItemRunOutcome& c = cand_out.at(it.item_id);
    rules_used.insert(reference(it.tagged.benchmark, it.tagged.task));
    PairedItem p;
    p.key = it.key();
    p.tags = std::move(it.tagged.tags);
    p.base_samples = b.samples;
    p.base_correct = b.correct;
    p.base_abnormal = b.abnormal;
    p.base_no_answer = b.no_answer;
    p.cand_samples = c.samples;
    p.cand_correct = c.correct;
    p.cand_abnormal = c.abnormal;
    p.cand_no_answer = c.no_answer;
    p.cand_correct_lenient = take(cand_lenient, it.item_id);
    p.cand_correct_first = take(cand_first, it.item_id);
    if (auto f = base_forms.find(it.item_id); f != base_forms.end()) {
      p.base_answered = f->second.answered;
      p.base_shaped = f->second.shaped;
      p.base_answer = std::move(f->second.first_answer);
      p.reference = std::move(f->second.reference);
      base_forms.erase(f);
    }
    if (auto f = cand_forms.find(it.item_id); f != cand_forms.end()) {
      p.cand_answered = std::min(f->second.answered, p.cand_samples);
      p.cand_shaped = std::min(f->second.shaped, p.cand_answered);
      p.cand_correct_tolerant = std::max(p.cand_correct, std::min(f->second.tolerant_correct, p.cand_samples));
      p.cand_answer = std::move(f->second.first_answer);
      cand_forms.erase(f);
    }
    p.base_answered = std::min(p.base_answered, p.base_samples);
    p.base_shaped = std::min(p.base_shaped, p.base_answered);
    p.base_prompt_hash = fmt::format("{:016x}", take(base_prompts, it.item_id));
    p.cand_prompt_hash = fmt::format("{:016x}", take(cand_prompts, it.item_id));
    in.items.push_back(std::move(p));
    it.tagged = TaggedItem{};  // its names are in the key now
  }
  std::string rule_names;
  for (const auto& r : rules_used) rule_names += (rule_names.empty() ? "" : ",") + r;
  in.baseline = facts_of(base, rule_names, base_out);
  in.candidate = facts_of(cand, rule_names, cand_out);
  return in;
}

Diagnosis diagnose_runs(WorkspaceDb& ws, const DiagnosisRequest& req, const ItemTagger& tagger) {
  DiagnosisInput in = build_diagnosis_input(ws, req, tagger);
  if (in.items.empty()) {
    throw Error(ErrorKind::kInput,
                fmt::format("runs '{}' and '{}' share no items: nothing to compare", req.baseline, req.candidate));
  }
  Diagnosis d = diagnose(in, req.options);
  d.baseline = req.baseline;
  d.candidate = req.candidate;
  return d;
}

}  // namespace caploop
