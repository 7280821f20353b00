// Diagnosis job: the data-in / data-out verdict for a baseline -> candidate change between two stored runs.
//
// Contract: pairs the runs' items, tags them (items of the same content share one tag set), scores both runs with
// the reference rule (`rule`, or each benchmark's default) and the candidate also with the reference rule's
// lenient and first-answer variants (eval/rule_registry.h), counts abnormal endings per item, measures answer
// forms (shape and the tolerant tier), all in one pass over each run's responses
// (workspace/diagnosis_run_facts.h), compares prompts (hashes) and generation settings (num_fewshot read from the
// run's extra_json: "num_fewshot", or per task "lm_eval_per_task.<task>.num_fewshot"), and calls diagnose()
// (diagnose/verdict.h). Pure reads of the workspace except for storing scores.
#pragma once

#include <optional>
#include <string>

#include "diagnose/verdict.h"
#include "store/workspace_db.h"
#include "taxonomy/item_tagger.h"

namespace caploop {

struct DiagnosisRequest {
  std::string baseline;
  std::string candidate;
  std::optional<std::string> rule;
  DiagnosisOptions options;
  unsigned threads = 1;
};

Diagnosis diagnose_runs(WorkspaceDb& ws, const DiagnosisRequest& request, const ItemTagger& tagger);

// The DiagnosisInput the verdict reads (exposed for reports and tests).
DiagnosisInput build_diagnosis_input(WorkspaceDb& ws, const DiagnosisRequest& request, const ItemTagger& tagger);

}  // namespace caploop
