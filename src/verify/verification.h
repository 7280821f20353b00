// Verification: did training on a plan's sample do what the plan pre-registered? Every hypothesis of a
// MixturePlan (mixture/mixture_plan.h) tested on a baseline run (before) and a candidate run (after), with
// a verdict per hypothesis and overall: `confirmed`, `refuted` or `inconclusive`.
//
// Procedure (docs/verify.md):
//   1. Items: each hypothesis's items resolved against the items both runs evaluated
//      (verify/hypothesis_items.h; the "rest" guard is every paired item outside the targets).
//   2. Change: per hypothesis, the paired change at the hypothesis's one-sided level alpha, with the guard's
//      margin (verify/paired_change.h): McNemar exact for single-sample runs, paired t over per-item mean
//      accuracies otherwise.
//   3. Multiplicity: the targets' improvement p-values adjusted across targets (Benjamini-Hochberg by default,
//      or Benjamini-Yekutieli) into q-values; a guard's q is its non-inferiority p-value (not adjusted: every
//      guard must hold, see verify/hypothesis_decision.h).
//   4. Decisions per hypothesis and overall by the rules in verify/hypothesis_decision.h.
//   5. Control (when a control run is given: the model trained as long on the plan's control mixture): steps
//      1-4 again with the control run in place of the baseline (the targeted model against the control on the
//      items both evaluated; target q-values adjusted across targets separately), and the change from the
//      baseline to the control for the side-by-side view. A hypothesis's result then combines the two
//      comparisons (combine_with_control, verify/hypothesis_decision.h): a target is confirmed only when the
//      targeted model beats the control by at least min_effect. Without a control run the result is the one
//      against the baseline and a note says that a gain cannot be attributed to the data.
// Metric: each hypothesis is tested on its plan metric ("accuracy" or "pass@k", mixture/hypothesis_metric.h).
// Every result carries its evidence: n, accuracies, delta, bounds, p and q, items lost and gained, the rule
// applied and a one-line reason.
//
// Contract: verify_plan() is a pure function of its arguments (same input, same output); `input.items` may be
// in any order but keys must be unique. Throws caploop::Error: kInput for a plan without hypotheses, an
// fdr outside (0, 1), duplicate item keys or a malformed hypothesis (naming the plan file and JSON pointer);
// kConflict when no target item is in both runs. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mixture/mixture_plan.h"
#include "stats/multiple_testing.h"
#include "stats/paired_outcome.h"
#include "verify/hypothesis_decision.h"
#include "verify/paired_change.h"

namespace caploop {

struct VerifyOptions {
  double fdr = 0.05;  // false discovery rate across targets
  FdrMethod fdr_method = FdrMethod::kBenjaminiHochberg;
};

std::string_view fdr_method_label(FdrMethod method);  // "bh" or "by"

// What verification reads: the plan and how the two runs did on the items they share.
struct VerificationInput {
  std::string plan_file;
  MixturePlan plan;
  std::string baseline;              // run before training on the sample
  std::string candidate;             // run after
  std::string scoring_rule;          // rule(s) the outcomes were scored with, comma-separated
  std::vector<PairedOutcome> items;  // items both runs evaluated
  int64_t only_in_baseline = 0;
  int64_t only_in_candidate = 0;
  // Optional control run (trained as long on the control mixture): empty name = none.
  std::string control;
  std::vector<PairedOutcome> control_items;       // base = control run, cand = candidate, items both evaluated
  std::vector<PairedOutcome> control_gain_items;  // base = baseline, cand = control, items both evaluated
};

// The same hypothesis tested against another reference run (the control).
struct ReferenceComparison {
  int64_t items_missing = 0;
  PairedChange change;
  double p_value = 1.0;
  double q_value = 1.0;
  Decision decision;
};

struct HypothesisVerification {
  std::string id;
  std::string kind;  // "target" or "guard"
  std::string description;
  std::vector<std::string> slice_tags;
  bool rest = false;  // items resolved by exclusion (the rest guard)
  int64_t planned_n = 0;
  double planned_baseline_accuracy = 0.0;
  double min_effect = 0.0;          // target
  double margin = 0.0;              // guard
  double alpha = 0.05;              // one-sided level; bounds are at 1 - alpha each
  int64_t items_missing = 0;        // planned items not in both runs
  std::string metric = "accuracy";  // "accuracy" or "pass@k"
  PairedChange change;              // baseline -> candidate
  double p_value = 1.0;             // target: improvement p (H0 delta <= 0); guard: non-inferiority p
  double q_value = 1.0;             // target: adjusted across targets; guard: equals p_value
  Decision against_baseline;        // the decision on `change` alone
  bool has_control = false;
  ReferenceComparison against_control;  // control -> candidate (has_control)
  PairedChange control_gain;            // baseline -> control (has_control), for the side-by-side view
  Decision decision;  // the result: against_baseline, or combined with against_control when has_control
};

// A control expectation of the plan (mixture/control_arm.h) decided on the baseline -> control change:
//   bounded: no items -> inconclusive ("no_items"); p_improvement <= alpha and delta >= min_effect -> refuted
//            ("control_reached_planned_gain"); upper bound < min_effect -> confirmed ("upper_bound_below_min_effect");
//            otherwise inconclusive ("undecided");
//   guard:   decide_guard on the same change.
// Reported beside the hypotheses; they do not enter the overall verdict (the targets' comparison with the
// control already does).
struct ControlExpectationResult {
  std::string id;
  std::string kind;  // "bounded" or "guard"
  std::string of;    // the plan hypothesis it mirrors
  std::string description;
  Decision decision;
};

struct Verification {
  Decision overall;
  std::string plan_file;
  std::string baseline;
  std::string candidate;
  std::string control;  // "" = no control run
  std::string scoring_rule;
  VerifyOptions options;
  std::vector<HypothesisVerification> hypotheses;  // plan order
  int64_t paired_items = 0;
  int64_t only_in_baseline = 0;
  int64_t only_in_candidate = 0;
  std::vector<std::string> notes;  // what a reader should know (missing items, a different baseline)
  std::string attribution_note;    // what a gain can be attributed to: the data (with a control) or not
  std::vector<ControlExpectationResult> control_expectations;  // with a control and a plan control arm

  std::string_view verdict() const { return verify_result_name(overall.result); }
};

Verification verify_plan(const VerificationInput& input, const VerifyOptions& options);

}  // namespace caploop
