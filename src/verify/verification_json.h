// The JSON form of a Verification, what `caploop verify --json` prints and `--out` writes (docs/verify.md):
//   {"verdict", "rule", "reason", "plan", "baseline", "candidate", "scoring_rule", "fdr", "fdr_method",
//    "hypotheses": [{"id", "kind", "description", "slice_tags", "items_from", "planned_n",
//                    "planned_baseline_accuracy", "n", "items_missing", "baseline_accuracy",
//                    "candidate_accuracy", "delta", "ci": [lower, upper], "confidence", "alpha", "test",
//                    "p_value", "q_value", "p_improvement", "p_regression", "p_noninferior",
//                    "min_effect" (target) | "margin" (guard), "result", "rule", "reason",
//                    "items_lost", "items_gained", "lost_items", "gained_items"}],
//    "evidence": {"paired_items", "only_in_baseline", "only_in_candidate", "targets": {...}, "guards": {...}},
//    "notes": [...]}
// Contract: deterministic (fixed key order; hypotheses in plan order; item lists in key order); non-finite
// numbers are written as null. Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/json_writer.h"
#include "verify/verification.h"

namespace caploop {

void write_verification_json(JsonWriter& out, const Verification& v);
std::string verification_to_json(const Verification& v);  // pretty, ending with "\n"

}  // namespace caploop
