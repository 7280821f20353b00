#include "workspace/diagnosis_job.h"

#include <fmt/format.h>

#include <algorithm>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <set>
#include <stdexcept>

#include "eval/rule_registry.h"
#include "io/json_parser.h"
#include "store/sqlite.h"
#include "workspace/diagnosis_run_facts.h"
#include "workspace/item_tagging.h"
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

RunFacts facts_of(const RunRow& run, const std::string& rule, const DiagnosisRunFacts& facts) {
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
  for (const ItemRunFacts& o : facts.items) {
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

// fmt::format("{:016x}", h), without the formatting machinery (two per paired item).
std::string hex16(uint64_t h) {
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = "0123456789abcdef"[h & 15];
  return out;
}

}  // namespace

DiagnosisInput build_diagnosis_input(WorkspaceDb& ws, const DiagnosisRequest& req, const ItemTagger& tagger) {
  RunRow base = ws.run_or_throw(req.baseline);
  RunRow cand = ws.run_or_throw(req.candidate);
  // Each task is judged by the rule `summary` uses for it (the harness's way by default), in both runs the
  // baseline's choice, so the two runs are scored alike; the re-scoring tiers follow that rule.
  const TaskRuleChoice choice(ws, base, req.rule);
  auto reference = [&](const std::string& b, const std::string& t) { return choice.rule(b, t); };
  // Every item either run evaluated, by id; each run's facts are indexed by position in this list.
  const InternedItems interned = tag_items_of_runs_interned(ws, {base.id, cand.id}, tagger);
  const std::vector<InternedItem>& items = interned.items;
  std::vector<int64_t> item_ids;
  item_ids.reserve(items.size());
  for (const auto& it : items) item_ids.push_back(it.item_id);
  // The passes read each page about once: a small page cache serves them as well as the workspace's large one,
  // which would stay filled beside the pairing. Restored once the texts are read.
  int64_t cache_size = 0;
  {
    Statement q(ws.db(), "PRAGMA cache_size");
    if (q.step()) cache_size = q.int64(0);
  }
  ws.db().exec("PRAGMA cache_size=-8192");
  const DiagnosisRunFacts base_facts =
      load_diagnosis_run_facts(ws, base, item_ids, reference, /*candidate_tiers=*/false, req.threads);
  const DiagnosisRunFacts cand_facts =
      load_diagnosis_run_facts(ws, cand, item_ids, reference, /*candidate_tiers=*/true, req.threads);
  // The texts are read: the connection's page cache is not needed while the pairing, the largest block, is built.
  ws.db().exec(fmt::format("PRAGMA cache_size={}; PRAGMA shrink_memory;", cache_size).c_str());
#ifdef __GLIBC__
  malloc_trim(0);  // and the pages it held go back to the system rather than stay with the allocator
#endif

  DiagnosisInput in;
  std::set<std::string> rules_used;
  const RunPairing pairing = pair_runs_by_position(
      items.size(), [&](size_t k) { return base_facts.items[k].samples > 0; },
      [&](size_t k) { return cand_facts.items[k].samples > 0; });
  in.only_in_baseline = pairing.only_in_baseline;
  in.only_in_candidate = pairing.only_in_candidate;
  in.items.reserve(pairing.paired.size());
  std::string_view last_benchmark, last_task;
  for (size_t position : pairing.paired) {
    const InternedItem& it = items[position];
    const ItemRunFacts& b = base_facts.items[position];
    const ItemRunFacts& c = cand_facts.items[position];
    if (it.benchmark != last_benchmark || it.task != last_task) {  // items come grouped by task
      last_benchmark = it.benchmark;
      last_task = it.task;
      rules_used.insert(reference(std::string(it.benchmark), std::string(it.task)));
    }
    PairedItem p;
    p.key = it.key();
    p.shared_tags = it.tags;
    p.base_samples = b.samples;
    p.base_correct = b.correct;
    p.base_abnormal = b.abnormal;
    p.base_no_answer = b.no_answer;
    p.cand_samples = c.samples;
    p.cand_correct = c.correct;
    p.cand_abnormal = c.abnormal;
    p.cand_no_answer = c.no_answer;
    p.cand_correct_lenient = c.lenient_correct;
    p.cand_correct_first = c.first_correct;
    if (b.first_sample >= 0) {
      p.base_answered = b.answered;
      p.base_shaped = b.shaped;
      p.base_answer = base_facts.first_answers[position];
      p.reference = base_facts.reference_texts.at(b.reference_text);
    }
    if (c.first_sample >= 0) {
      p.cand_answered = std::min<int64_t>(c.answered, p.cand_samples);
      p.cand_shaped = std::min<int64_t>(c.shaped, p.cand_answered);
      p.cand_correct_tolerant = std::max(p.cand_correct, std::min<int64_t>(c.tolerant_correct, p.cand_samples));
      p.cand_answer = cand_facts.first_answers[position];
    }
    p.base_answered = std::min(p.base_answered, p.base_samples);
    p.base_shaped = std::min(p.base_shaped, p.base_answered);
    p.base_prompt_hash = hex16(b.prompt_hash);
    p.cand_prompt_hash = hex16(c.prompt_hash);
    in.items.push_back(std::move(p));
  }
  std::string rule_names;
  for (const auto& r : rules_used) rule_names += (rule_names.empty() ? "" : ",") + r;
  in.baseline = facts_of(base, rule_names, base_facts);
  in.candidate = facts_of(cand, rule_names, cand_facts);
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
