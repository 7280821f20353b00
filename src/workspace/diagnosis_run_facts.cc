#include "workspace/diagnosis_run_facts.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <stdexcept>

#include "core/fnv1a.h"
#include "core/parallel_for.h"
#include "diagnose/answer_form.h"
#include "eval/answer_shape.h"
#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "eval/rules_tolerant.h"
#include "store/response_evidence.h"
#include "store/run_item_texts.h"
#include "store/score_table.h"
#include "store/text_store.h"
#include "workspace/run_scoring.h"

namespace caploop {

namespace {

constexpr size_t kBatchRows = 4096;

size_t position_of(std::span<const int64_t> item_ids, int64_t item_id) {
  auto it = std::lower_bound(item_ids.begin(), item_ids.end(), item_id);
  if (it == item_ids.end() || *it != item_id) throw std::out_of_range("diagnosis: a response's item is not listed");
  return static_cast<size_t>(it - item_ids.begin());
}

bool stored_is_current(WorkspaceDb& ws, const RunRow& run, const ScoringRule& rule, const std::string& benchmark) {
  auto v = stored_rule_version(ws, run.id, rule.name(), benchmark);
  return v && *v == rule.version();
}

// What one response contributes, computed off the database thread.
struct ResponseFacts {
  bool answered = false;
  bool shaped = false;
  bool tolerant = false;
  bool lenient = false;
  bool first = false;
  std::string answer;  // example_answer of the reference rule's extraction
};

// A batch of rows with what the threads computed of them.
struct Batch {
  std::vector<ResponseOfBenchmark> rows;
  size_t n = 0;               // rows in use
  std::vector<uint8_t> kept;  // by row: its task is one of the group's
  std::vector<ResponseFacts> facts;
};

// The rules one (benchmark, reference rule) group of tasks is read with.
struct GroupRules {
  const ScoringRule* reference = nullptr;
  const ScoringRule* lenient = nullptr;  // nullptr: the reference rule's own correct count
  const ScoringRule* first = nullptr;
};

// What one response adds to its item's answer-form facts; true when it is the item's first sample so far (whose
// answer the facts keep).
bool add_answer_form(ItemRunFacts& item, int64_t sample_index, bool answered, bool shaped, int64_t reference_text,
                     uint64_t prompt_hash) {
  item.answered += answered ? 1 : 0;
  item.shaped += shaped ? 1 : 0;
  item.reference_text = reference_text;
  item.prompt_hash = prompt_hash;
  if (item.first_sample >= 0 && sample_index >= item.first_sample) return false;
  item.first_sample = sample_index;
  return true;
}

using TaskGroups = std::map<std::pair<std::string, std::string>, std::set<std::string>>;  // (benchmark, rule)

// Whether every response of the run has a current stored score under its group's rule, so that the facts without
// candidate tiers (all of them come from the reference rule's extraction) can be read from the stored scores
// alone: no text read, decompressed or scored again. Not for a rule that reads the harness's values: its stored
// extraction (from score_evidence) is not the one the texts give, which the facts are defined by.
bool stored_scores_cover_run(WorkspaceDb& ws, const RunRow& run, const TaskGroups& groups) {
  int64_t scored = 0;
  for (const auto& [key, tasks] : groups) {
    const auto& [b, r] = key;
    const ScoringRule& rule = rule_or_throw(r);
    if (rule.reads_harness_values() || !stored_is_current(ws, run, rule, b)) return false;
    Statement sets(ws.db(), "SELECT task, n_scores FROM score_sets WHERE run_id = ? AND rule = ? AND benchmark = ?");
    sets.bind(1, run.id).bind(2, std::string_view(r)).bind(3, std::string_view(b));
    while (sets.step()) {
      if (tasks.count(sets.str(0))) scored += sets.int64(1);
    }
  }
  Statement st(ws.db(), "SELECT count(*) FROM main.stored_responses WHERE run_id = ?");
  st.bind(1, run.id);
  return st.step() && st.int64(0) == scored;
}

}  // namespace

DiagnosisRunFacts load_diagnosis_run_facts(WorkspaceDb& ws, const RunRow& run, std::span<const int64_t> item_ids,
                                           const TaskRuleOf& reference, bool candidate_tiers, unsigned threads) {
  DiagnosisRunFacts out;
  out.items.assign(item_ids.size(), ItemRunFacts{});
  out.first_answers.assign(item_ids.size(), std::string());
  threads = std::max(1u, threads);

  // The run's tasks grouped by (benchmark, reference rule): each group is read in one query.
  TaskGroups groups;
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) groups[{b, reference(b, t)}].insert(t);

  TextStore texts(ws);
  std::unordered_map<int64_t, uint64_t> prompt_hash_of;                      // prompt text id -> hash
  std::unordered_map<int64_t, std::vector<AnswerOption>> options_of_prompt;  // candidate tiers only
  // A reference's text and a prompt's hash (and, with candidate tiers, its answer options), each read once.
  const auto read_texts = [&](int64_t reference_text, int64_t prompt_text) {
    if (!out.reference_texts.count(reference_text))
      out.reference_texts.emplace(reference_text, texts.read(reference_text));
    const bool new_prompt = !prompt_hash_of.count(prompt_text);
    if (new_prompt || (candidate_tiers && !options_of_prompt.count(prompt_text))) {
      const std::string prompt = texts.read(prompt_text);
      if (new_prompt) prompt_hash_of.emplace(prompt_text, fnv1a64(prompt));
      if (candidate_tiers) options_of_prompt.emplace(prompt_text, answer_options_of(prompt));
    }
  };

  if (!candidate_tiers && stored_scores_cover_run(ws, run, groups)) {
    // Every fact from the stored scores: the reference rule's answer as stored is the one scoring the text gives.
    std::vector<std::pair<int64_t, int64_t>> texts_of(item_ids.size(), {-1, -1});  // (prompt, reference) by position
    {
      Statement st(ws.db(), "SELECT item_id, prompt_text, reference_text FROM main.stored_run_items WHERE run_id = ?");
      st.bind(1, run.id);
      while (st.step()) {
        auto it = std::lower_bound(item_ids.begin(), item_ids.end(), st.int64(0));
        if (it != item_ids.end() && *it == st.int64(0))
          texts_of[static_cast<size_t>(it - item_ids.begin())] = {st.int64(1), st.int64(2)};
      }
    }
    for (const auto& [key, tasks] : groups) {
      const auto& [b, r] = key;
      for_each_score_set(
          ws, run.id, r, b, std::nullopt, [&](std::string_view task, int, std::vector<SampleScore>& samples) {
            if (!tasks.count(std::string(task))) return;
            for (const SampleScore& s : samples) {
              const size_t pos = position_of(item_ids, s.item_id);
              const auto [prompt_text, reference_text] = texts_of[pos];
              read_texts(reference_text, prompt_text);
              ItemRunFacts& item = out.items[pos];
              count_scored_sample(item, s.correct, s.ending);
              const bool shaped = s.found && has_reference_shape(s.answer, out.reference_texts.at(reference_text));
              if (add_answer_form(item, s.sample_index, s.found, shaped, reference_text,
                                  prompt_hash_of.at(prompt_text)))
                out.first_answers[pos] = example_answer(s.answer);
            }
          });
    }
    return out;
  }

  Batch batches[2];
  std::vector<uint8_t> same_as_reference(candidate_tiers ? item_ids.size() : 0, 0);  // bit 0 lenient, bit 1 first
  for (const auto& [key, tasks] : groups) {
    const auto& [b, r] = key;
    GroupRules rules;
    rules.reference = &rule_or_throw(r);
    if (candidate_tiers) {
      const std::string_view lenient = lenient_rule_name_for(r);
      const std::string_view first = first_answer_rule_name_for(r);
      if (lenient != r) rules.lenient = &rule_or_throw(std::string(lenient));
      if (first != r) rules.first = &rule_or_throw(std::string(first));
    }
    bool stored = stored_is_current(ws, run, *rules.reference, b);
    if (!stored && !ws.read_only()) {
      ensure_scored(ws, run, r, threads, nullptr, b);
      stored = true;
    }
    if (!stored) {
      // A read command scores in memory what the workspace does not hold (it cannot store it anyway).
      TaskRules task_rules;
      for (const auto& t : tasks) task_rules[{b, t}] = rules.reference;
      score_responses(ws, run, task_rules, threads, /*with_endings=*/true, nullptr,
                      [&](const ResponseRow& row, const Score& score, const Ending& ending) {
                        count_scored_sample(out.items[position_of(item_ids, row.item_id)], score.correct, ending.kind);
                      });
    }

    ResponsesOfBenchmark reader(ws, run.id, b, stored ? std::string_view(r) : std::string_view(), threads);
    std::string last_task;
    bool last_kept = false;
    // On the database thread, with no batch being processed: which rows count, their texts by id (each read
    // once) and the dictionaries of their bodies, so the processing threads only read these.
    const auto prepare = [&](Batch& batch) {
      reader.load_dictionaries(batch.rows, batch.n);
      batch.kept.assign(batch.n, 0);
      for (size_t i = 0; i < batch.n; ++i) {
        const ResponseOfBenchmark& row = batch.rows[i];
        if (row.task != last_task) {  // rows come grouped by item, so by task
          last_task = row.task;
          last_kept = tasks.count(row.task) != 0;
        }
        if (!last_kept) continue;
        batch.kept[i] = 1;
        read_texts(row.reference_text, row.prompt_text);
      }
    };
    // On `threads` threads: decompress and score each row that counts.
    const auto process = [&](Batch& batch) {
      const size_t n = batch.n;
      batch.facts.assign(n, ResponseFacts{});
      const unsigned t = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n / 256)));
      const size_t chunk = (n + t - 1) / t;
      parallel_for(t, t, [&](size_t k) {
        for (size_t i = k * chunk; i < std::min(n, (k + 1) * chunk); ++i) {
          if (!batch.kept[i]) continue;
          ResponseOfBenchmark& row = batch.rows[i];
          reader.decode(row, static_cast<unsigned>(k));
          const std::string& ref = out.reference_texts.at(row.reference_text);
          ResponseFacts& f = batch.facts[i];
          const Score score = rules.reference->score(row.text, ref);
          f.answered = score.extraction.found;
          f.shaped = f.answered && has_reference_shape(score.extraction.answer, ref);
          f.answer = example_answer(score.extraction.answer);
          if (candidate_tiers) {
            f.tolerant = tolerant_correct(row.text, ref, score.extraction, options_of_prompt.at(row.prompt_text));
            f.lenient = rules.lenient && rules.lenient->score(row.text, ref).correct;
            f.first = rules.first && rules.first->score(row.text, ref).correct;
          }
        }
      });
    };
    // On the calling thread, in row order.
    const auto merge = [&](Batch& batch) {
      for (size_t i = 0; i < batch.n; ++i) {
        if (!batch.kept[i]) continue;
        const ResponseOfBenchmark& row = batch.rows[i];
        const size_t pos = position_of(item_ids, row.item_id);
        ItemRunFacts& item = out.items[pos];
        ResponseFacts& f = batch.facts[i];
        if (row.scored)
          count_scored_sample(item, row.correct, row.ending);  // a response without a score counts nowhere
        if (candidate_tiers) same_as_reference[pos] = (rules.lenient ? 0 : 1) | (rules.first ? 0 : 2);
        item.tolerant_correct += f.tolerant ? 1 : 0;
        item.lenient_correct += f.lenient ? 1 : 0;
        item.first_correct += f.first ? 1 : 0;
        if (add_answer_form(item, row.sample_index, f.answered, f.shaped, row.reference_text,
                            prompt_hash_of.at(row.prompt_text)))
          out.first_answers[pos] = std::move(f.answer);
      }
    };
    // Two batches in turn: the database thread reads the next one while the threads process the current one.
    Batch* current = &batches[0];
    Batch* next = &batches[1];
    current->n = reader.next_batch(current->rows, kBatchRows);
    if (current->n > 0) prepare(*current);
    while (current->n > 0) {
      std::future<void> work = std::async(std::launch::async, [&] { process(*current); });
      try {
        next->n = reader.next_batch(next->rows, kBatchRows);
      } catch (...) {
        work.wait();
        throw;
      }
      work.get();
      if (next->n > 0) prepare(*next);
      merge(*current);
      std::swap(current, next);
    }
  }
  // A variant equal to the reference rule counts the reference rule's correct samples.
  for (size_t pos = 0; pos < same_as_reference.size(); ++pos) {
    if (same_as_reference[pos] & 1) out.items[pos].lenient_correct = out.items[pos].correct;
    if (same_as_reference[pos] & 2) out.items[pos].first_correct = out.items[pos].correct;
  }
  return out;
}

}  // namespace caploop
