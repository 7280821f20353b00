// DiagnosisInput: what the diagnosis of a baseline -> candidate change reads, already paired item by item.
//
// The workspace fills it from two stored runs (both scored with the same reference rule, the candidate also
// re-scored with a lenient and a first-answer rule, every sample's ending classified by eval/ending.h); tests
// and other callers can build it in memory. Counts are per item and per run: samples, correct samples,
// samples whose ending was abnormal (truncated, ran_on, degenerate_repetition or no_answer) and, among those,
// samples whose ending was no_answer (the reference rule found no answer statement; the ending kinds are
// exclusive, so abnormal - no_answer counts the termination failures: truncated, ran on, looping).
// validate_diagnosis_input() throws caploop::Error (kInput) naming the item key and field of the first
// inconsistent count. Plain values; no sharing, no thread-safety concerns.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stats/paired_outcome.h"
#include "taxonomy/taggable_item.h"

namespace caploop {

// One item as both runs did on it: the paired outcome (key "<task>:<id>" as the source gave them, samples and
// correct samples per run, one sample each by default) and the evidence the diagnosis reads beside it.
struct PairedItem : PairedOutcome {
  // The item's tags: `shared_tags` when set (items with the same content share one tag set: the workspace
  // interns them), else `tags` (items built one by one). Readers use item_tags().
  ItemTags tags;
  std::shared_ptr<const ItemTags> shared_tags;
  const ItemTags& item_tags() const { return shared_tags ? *shared_tags : tags; }
  int64_t base_abnormal = 0;  // samples with an abnormal ending (no_answer included)
  int64_t cand_abnormal = 0;
  int64_t base_no_answer = 0;  // of those, samples whose ending was no_answer
  int64_t cand_no_answer = 0;
  int64_t cand_correct_lenient = 0;   // candidate samples correct under the lenient rule
  int64_t cand_correct_first = 0;     // candidate samples correct under the first-answer rule
  int64_t cand_correct_tolerant = 0;  // candidate samples correct under the tolerant tier (eval/rules_tolerant.h)
  // Answer form (eval/answer_shape.h): samples with an extracted answer, and of those the ones whose answer
  // has the reference's shape; 0 / 0 when not measured.
  int64_t base_answered = 0;
  int64_t base_shaped = 0;
  int64_t cand_answered = 0;
  int64_t cand_shaped = 0;
  std::string reference;    // the item's reference answer, for examples ("" when not kept)
  std::string base_answer;  // first sample's extracted answer, shortened (eval examples only)
  std::string cand_answer;
  std::string base_prompt_hash;  // empty when unknown
  std::string cand_prompt_hash;
};

// Generation and scoring settings of one run; std::nullopt / empty means "not recorded".
struct RunFacts {
  std::string name;
  std::string model;
  std::optional<int64_t> max_new_tokens;
  std::optional<std::vector<std::string>> stop_sequences;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int64_t> num_fewshot;                  // when every task used the same number
  std::map<std::string, int64_t> num_fewshot_by_task;  // when tasks differ (num_fewshot then unset)
  std::string chat_template;                           // name or hash of the template; empty when unknown
  std::string scoring_rule;                            // reference rule both runs were scored with, e.g. "bbh"
  std::map<std::string, int64_t> ending_counts;        // ending name -> samples ("stopped", "truncated", ...)
};

struct DiagnosisInput {
  std::vector<PairedItem> items;  // items present in both runs
  RunFacts baseline;
  RunFacts candidate;
  int64_t only_in_baseline = 0;   // items the candidate run lacks
  int64_t only_in_candidate = 0;  // items the baseline run lacks
};

// Checks every count: samples >= 1, 0 <= correct, abnormal <= samples, no_answer <= abnormal,
// re-scored correct counts <= samples, unpaired counts >= 0, at least one item.
void validate_diagnosis_input(const DiagnosisInput& input);

}  // namespace caploop
