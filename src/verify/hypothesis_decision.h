// The verification rules: from the measured change on a hypothesis's items to `confirmed`, `refuted` or
// `inconclusive`, per hypothesis and overall. The rules, in the order they are tried (docs/verify.md):
//
// Target (the plan expects an improvement of at least min_effect; one-sided test of H0: delta <= 0, its
// p-values adjusted for false discovery across the plan's targets into q):
//   no paired items                                   -> inconclusive  ("no_items")
//   min_effect not finite (the plan could not set one) -> inconclusive ("no_min_effect")
//   q <= fdr and delta >= min_effect                  -> confirmed     ("significant_improvement")
//   upper bound < min_effect                          -> refuted       ("upper_bound_below_min_effect")
//   otherwise                                         -> inconclusive  ("undecided")
// Guard (must not lose more than margin; non-inferiority):
//   no paired items                                   -> inconclusive  ("no_items")
//   upper bound < -margin                             -> refuted       ("upper_bound_below_margin")
//   p_regression <= alpha and delta < -margin         -> refuted       ("significant_regression_beyond_margin")
//   lower bound > -margin                             -> confirmed     ("lower_bound_above_margin")
//   otherwise                                         -> inconclusive  ("undecided")
// Bounds are the one-sided (1 - alpha) bounds of verify/paired_change.h, alpha the hypothesis's level.
// Overall:
//   some guard refuted                                -> refuted       ("guard_refuted")
//   no target hypothesis                              -> inconclusive  ("no_targets")
//   every target refuted                              -> refuted       ("all_targets_refuted")
//   every target confirmed and every guard confirmed  -> confirmed     ("all_confirmed")
//   otherwise                                         -> inconclusive  ("mixed")
// With a control run (the model trained as long on the control mixture), each hypothesis is decided twice, by
// the rules above, against the baseline and against the control (the control run in the baseline's place),
// and combine_with_control() gives the result:
// Target:
//   against control confirmed and against baseline not refuted -> confirmed   ("beats_control")
//   against control confirmed, against baseline refuted         -> inconclusive ("control_lost_ground": the
//                                                                  control fell, the targeted model did not gain)
//   against control refuted                                     -> refuted     ("control_gained_as_much")
//   otherwise                                                   -> inconclusive ("undecided_against_control")
// Guard:
//   refuted against either                                      -> refuted     ("guard_refuted_against_<which>")
//   confirmed against both                                      -> confirmed   ("holds_against_both")
//   otherwise                                                   -> inconclusive ("undecided_against_<which>")
// Guards are not adjusted for multiplicity: "confirmed" needs every guard to hold, an intersection-union test
// (Berger, Technometrics 24, 1982) whose error of a false "confirmed" is at most alpha without adjustment.
//
// Contract: pure functions returning a Decision whose `rule` is one of the identifiers above and whose
// `reason` is one line with the numbers that decided it. Thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "verify/paired_change.h"

namespace caploop {

enum class VerifyResult { kConfirmed, kRefuted, kInconclusive };

std::string_view verify_result_name(VerifyResult result);  // "confirmed", "refuted", "inconclusive"

struct Decision {
  VerifyResult result = VerifyResult::kInconclusive;
  std::string rule;
  std::string reason;
};

Decision decide_target(const PairedChange& change, double q_value, double fdr, double min_effect);
Decision decide_guard(const PairedChange& change, double alpha, double margin);
Decision combine_with_control(const Decision& against_baseline, const Decision& against_control, bool guard);

// One hypothesis's outcome as the overall rule sees it.
struct HypothesisOutcome {
  std::string_view id;
  bool guard = false;
  VerifyResult result = VerifyResult::kInconclusive;
};

Decision decide_overall(std::span<const HypothesisOutcome> outcomes);

}  // namespace caploop
