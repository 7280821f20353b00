#include "workspace/diagnosis_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/free_memory.h"
#include "eval/rule_registry.h"
#include "io/json_parser.h"
#include "store/run_item_texts.h"
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

// A run's samples by how their generation ended.
struct EndingTotals {
  int64_t samples = 0, abnormal = 0, no_answer = 0, truncated = 0, ran_on = 0, repetition = 0;
};

EndingTotals ending_totals(const DiagnosisRunFacts& facts) {
  EndingTotals t;
  for (const ItemRunFacts& o : facts.items) {
    t.samples += o.samples;
    t.abnormal += o.abnormal;
    t.no_answer += o.no_answer;
    t.truncated += o.truncated;
    t.ran_on += o.ran_on;
    t.repetition += o.degenerate_repetition;
  }
  return t;
}

RunFacts facts_of(const RunRow& run, const std::string& rule, const EndingTotals& t) {
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
  // Ending names as eval/ending.h spells them (the pages colour them alike: report/ending_colors.h).
  f.ending_counts["stopped"] = t.samples - t.abnormal;
  f.ending_counts["truncated"] = t.truncated;
  f.ending_counts["ran_on"] = t.ran_on;
  f.ending_counts["degenerate_repetition"] = t.repetition;
  f.ending_counts["no_answer"] = t.no_answer;
  return f;
}

// fmt::format("{:016x}", h), without the formatting machinery (two per paired item).
std::string hex16(uint64_t h) {
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = "0123456789abcdef"[h & 15];
  return out;
}

}  // namespace

constexpr int64_t kPassCacheKib = 2048;

DiagnosisInput build_diagnosis_input(WorkspaceDb& ws, const DiagnosisRequest& req, const ItemTagger& tagger) {
  RunRow base = ws.run_or_throw(req.baseline);
  RunRow cand = ws.run_or_throw(req.candidate);
  // Each task is judged by the rule `summary` uses for it (the harness's way by default), in both runs the
  // baseline's choice, so the two runs are scored alike; the re-scoring tiers follow that rule.
  const TaskRuleChoice choice(ws, base, req.rule);
  auto reference = [&](const std::string& b, const std::string& t) { return choice.rule(b, t); };
  // Every item either run evaluated, by id; each run's facts are indexed by position in this list.
  std::vector<ItemTextIds> listed = items_of_runs(ws, {base.id, cand.id});
  const size_t n_items = listed.size();
  std::vector<int64_t> item_ids;
  item_ids.reserve(n_items);
  for (const auto& row : listed) item_ids.push_back(row.item_id);
  // The items are tagged on a second, read-only connection while this one reads the baseline's facts (inside a
  // transaction, whose rows only this connection sees, or on an in-memory database: here, first).
  const bool beside = ws.another_connection_sees_the_same();
  std::future<InternedItems> tagging;
  std::optional<InternedItems> tagged_here;
  if (beside) {
    tagging = std::async(std::launch::async, [&ws, &tagger, rows = std::move(listed)]() mutable {
      WorkspaceDb reader(ws.path(), WorkspaceAccess::kRead);
      return tag_listed_items(reader, std::move(rows), tagger);
    });
  } else {
    tagged_here = tag_listed_items(ws, std::move(listed), tagger);
  }
  // The passes read each page about once: a small page cache serves them as well as the workspace's large one,
  // which would stay filled beside the pairing. Restored once the texts are read.
  std::optional<ScopedCacheSize> small_cache(std::in_place, ws.db(), kPassCacheKib);
  std::optional<DiagnosisRunFacts> base_facts;
  try {
    base_facts = load_diagnosis_run_facts(ws, base, item_ids, reference, /*candidate_tiers=*/false, req.threads);
  } catch (...) {
    if (tagging.valid()) tagging.wait();
    throw;
  }
  InternedItems interned = beside ? tagging.get() : std::move(*tagged_here);
  std::vector<InternedItem>& items = interned.items;
  // Per item, its (benchmark, task) as an index into `tasks`: all that is read of the items once the
  // baseline's side of the pairing holds their keys and tags.
  std::vector<std::pair<std::string_view, std::string_view>> tasks;
  std::vector<uint32_t> task_of_item(n_items, 0);
  for (size_t k = 0; k < n_items; ++k) {
    if (tasks.empty() || tasks.back() != std::make_pair(items[k].benchmark, items[k].task)) {  // grouped by task
      tasks.emplace_back(items[k].benchmark, items[k].task);
    }
    task_of_item[k] = static_cast<uint32_t>(tasks.size() - 1);
  }
  // Every item's key and tags go into the pairing (the items are released then), the baseline's side is filled
  // and its facts released before the candidate's are read, so the two runs' facts and the pairing are never all
  // held at once; the items the two runs do not share are dropped at the end.
  DiagnosisInput in;
  in.items.reserve(n_items);
  for (InternedItem& it : items) {
    PairedItem p;
    p.key = it.key();
    p.shared_tags = std::move(it.tags);
    in.items.push_back(std::move(p));
  }
  std::vector<InternedItem>().swap(items);  // the names stay (interned.names), the rest is in the pairing
  std::vector<uint8_t> base_scored(n_items, 0);
  EndingTotals base_endings;
  {
    base_endings = ending_totals(*base_facts);
    for (size_t k = 0; k < n_items; ++k) {
      const ItemRunFacts& b = base_facts->items[k];
      if (b.samples == 0) continue;
      base_scored[k] = 1;
      PairedItem& p = in.items[k];
      p.base_samples = b.samples;
      p.base_correct = b.correct;
      p.base_abnormal = b.abnormal;
      p.base_no_answer = b.no_answer;
      if (b.first_sample >= 0) {
        p.base_answered = b.answered;
        p.base_shaped = b.shaped;
        p.base_answer = std::move(base_facts->first_answers[k]);
        p.reference = base_facts->reference_texts.at(b.reference_text);
      }
      p.base_answered = std::min(p.base_answered, p.base_samples);
      p.base_shaped = std::min(p.base_shaped, p.base_answered);
      p.base_prompt_hash = hex16(b.prompt_hash);
    }
    base_facts.reset();
  }
  DiagnosisRunFacts cand_facts =
      load_diagnosis_run_facts(ws, cand, item_ids, reference, /*candidate_tiers=*/true, req.threads);
  // The texts are read: the connection's page cache is not needed any more.
  small_cache.reset();
  ws.db().exec("PRAGMA shrink_memory;");
  return_free_memory();  // and the pages it held go back to the system rather than stay with the allocator

  const RunPairing pairing = pair_runs_by_position(
      n_items, [&](size_t k) { return base_scored[k] != 0; },
      [&](size_t k) { return cand_facts.items[k].samples > 0; });
  in.only_in_baseline = pairing.only_in_baseline;
  in.only_in_candidate = pairing.only_in_candidate;
  std::set<std::string> rules_used;
  std::vector<uint8_t> task_counted(tasks.size(), 0);
  size_t kept = 0;
  for (size_t position : pairing.paired) {  // ascending: each item moves down to its place, never over another
    if (!task_counted[task_of_item[position]]) {
      task_counted[task_of_item[position]] = 1;
      const auto& [benchmark, task] = tasks[task_of_item[position]];
      rules_used.insert(reference(std::string(benchmark), std::string(task)));
    }
    const ItemRunFacts& c = cand_facts.items[position];
    PairedItem& p = in.items[kept++];
    if (&p != &in.items[position]) p = std::move(in.items[position]);
    p.cand_samples = c.samples;
    p.cand_correct = c.correct;
    p.cand_abnormal = c.abnormal;
    p.cand_no_answer = c.no_answer;
    p.cand_correct_lenient = c.lenient_correct;
    p.cand_correct_first = c.first_correct;
    if (c.first_sample >= 0) {
      p.cand_answered = std::min<int64_t>(c.answered, p.cand_samples);
      p.cand_shaped = std::min<int64_t>(c.shaped, p.cand_answered);
      p.cand_correct_tolerant = std::max(p.cand_correct, std::min<int64_t>(c.tolerant_correct, p.cand_samples));
      p.cand_answer = std::move(cand_facts.first_answers[position]);
    }
    p.cand_prompt_hash = hex16(c.prompt_hash);
  }
  in.items.resize(kept);
  std::string rule_names;
  for (const auto& r : rules_used) rule_names += (rule_names.empty() ? "" : ",") + r;
  in.baseline = facts_of(base, rule_names, base_endings);
  in.candidate = facts_of(cand, rule_names, ending_totals(cand_facts));
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
