// The JSON form of a Verification, what `caploop verify --json` prints and `--out` writes (docs/verify.md):
//   {"verdict", "rule", "reason", "plan", "baseline", "candidate", "control" (null without one),
//    "attribution" ("control", or "none": a gain cannot be attributed to the data), "attribution_note",
//    "scoring_rule", "fdr", "fdr_method",
//    "hypotheses": [{"id", "kind", "description", "slice_tags", "items_from", "planned_n",
//                    "planned_baseline_accuracy", "n", "items_missing", "baseline_accuracy",
//                    "candidate_accuracy", "delta", "ci": [lower, upper], "exact_ci": [lower, upper],
//                    "exact_method", "metric", "items_short", "confidence", "alpha", "test",
//                    "p_value", "q_value", "p_improvement", "p_regression", "p_noninferior",
//                    "min_effect" (target) | "margin" (guard), "result", "rule", "reason",
//                    "items_lost", "items_gained", "lost_items", "gained_items",
//                    "against_baseline": {"result", "rule", "reason"},
//                    "against_control": null | {"n", "control_accuracy", "candidate_accuracy", "delta", "ci",
//                        "exact_ci", "exact_method", "test", "items_missing", "p_value", "q_value", "p_improvement",
//                        "p_regression", "p_noninferior", "result", "rule", "reason", "items_lost", "items_gained"},
//                    "control_gain" (with a control): {"n", "baseline_accuracy", "control_accuracy", "delta", "ci",
//                        "exact_ci", "exact_method", "test"}}],
// The top-level per-hypothesis numbers are baseline -> candidate; "result" is the combined decision
// (verify/hypothesis_decision.h), "against_baseline" the decision on those numbers alone.
//    "evidence": {"paired_items", "only_in_baseline", "only_in_candidate", "targets": {...}, "guards": {...}},
//    "notes": [...],
//    "control_expectations": [{"id", "kind" ("bounded"|"guard"), "of", "description", "result", "rule", "reason"}]
//      (the plan's control-arm expectations decided on baseline -> control; [] without a control)}
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
