// Diagnosis run facts: everything a diagnosis needs from one stored run, per item, gathered in one pass over
// the run's responses (each text read and decompressed once, the per-response work on `threads` threads).
//
// Contract: `item_ids` is sorted ascending, without duplicates, and holds every item the run evaluated (the
// items of both runs of a diagnosis); the result is indexed like it (items[k] belongs to item_ids[k]; an item
// the run did not evaluate keeps zero samples). Per item, under the reference rule `reference(benchmark, task)`:
//   samples, correct and the ending counts: the stored scores when they are from the rule's current version;
//     otherwise on a writable workspace the run is scored and stored first (ensure_scored), on a read-only one
//     the responses are scored in memory with their evidence (workspace/run_scoring.h), as `summary` does;
//   answer forms: answered (the rule extracts an answer from the text), shaped (that answer has the reference's
//     shape, eval/answer_shape.h), the first sample's answer shortened for examples (diagnose/answer_form.h)
//     and the reference text (by text id);
//   the prompt's hash (FNV-1a 64 of the prompt text), to check that two runs asked the same thing;
//   with `candidate_tiers`: the samples correct under the lenient and first-answer variants of the rule
//     (eval/rule_registry.h; a variant equal to the rule counts the rule's correct samples, any other variant is
//     a text rule and is applied to the text) and under the tolerant tier (eval/rules_tolerant.h, with the
//     options the item's prompt lists).
// Without candidate_tiers every fact comes from the reference rule's extraction, so when the stored scores are current
// and cover every response of the run, and no reference rule reads the harness's values (whose stored extraction
// differs from the text's), they are read from those alone, with no response text read; otherwise the texts are read
// as above. Results are the same either way and whatever the thread
// count. Reads the workspace (writes scores only as said above).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/progress.h"
#include "store/workspace_db.h"
#include "workspace/run_outcomes.h"

namespace caploop {

struct ItemRunFacts {
  int32_t samples = 0;
  int32_t correct = 0;
  int32_t abnormal = 0;
  int32_t no_answer = 0;
  int32_t truncated = 0;
  int32_t ran_on = 0;
  int32_t degenerate_repetition = 0;
  int32_t answered = 0;
  int32_t shaped = 0;
  int32_t tolerant_correct = 0;  // with candidate_tiers only
  int32_t lenient_correct = 0;   // with candidate_tiers only
  int32_t first_correct = 0;     // with candidate_tiers only
  int64_t first_sample = -1;     // sample index of the sample first_answer comes from; -1: no response read
  int64_t reference_text = 0;    // text id of the item's reference in this run
  uint64_t prompt_hash = 0;
};

struct DiagnosisRunFacts {
  std::vector<ItemRunFacts> items;                           // by position in item_ids
  std::vector<std::string> first_answers;                    // by position: the first sample's answer (example_answer)
  std::unordered_map<int64_t, std::string> reference_texts;  // text id -> text, each read once
};

DiagnosisRunFacts load_diagnosis_run_facts(WorkspaceDb& ws, const RunRow& run, std::span<const int64_t> item_ids,
                                           const TaskRuleOf& reference, bool candidate_tiers, unsigned threads);

}  // namespace caploop
