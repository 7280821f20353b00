#include "verify/hypothesis_decision.h"

#include <fmt/format.h>

#include <cmath>

namespace caploop {
namespace {

std::string points(double v) { return fmt::format("{:+.1f}", 100.0 * v); }
std::string bounds_text(const Interval& b) { return fmt::format("[{}, {}]", points(b.lower), points(b.upper)); }

Decision decision(VerifyResult result, std::string rule, std::string reason) {
  return Decision{result, std::move(rule), std::move(reason)};
}

}  // namespace

std::string_view verify_result_name(VerifyResult result) {
  switch (result) {
    case VerifyResult::kConfirmed:
      return "confirmed";
    case VerifyResult::kRefuted:
      return "refuted";
    case VerifyResult::kInconclusive:
      break;
  }
  return "inconclusive";
}

Decision decide_target(const PairedChange& c, double q_value, double fdr, double min_effect) {
  if (c.n == 0) {
    return decision(VerifyResult::kInconclusive, "no_items", "none of the hypothesis's items is in both runs");
  }
  if (!std::isfinite(min_effect)) {
    return decision(VerifyResult::kInconclusive, "no_min_effect",
                    fmt::format("the plan set no finite minimum effect (not detectable with these items); "
                                "delta {} points, q = {:.3g}",
                                points(c.delta), q_value));
  }
  if (q_value <= fdr && c.delta >= min_effect) {
    return decision(VerifyResult::kConfirmed, "significant_improvement",
                    fmt::format("improved by {} points (bounds {}), at least the planned {} points, q = {:.3g} <= "
                                "fdr {:.3g}",
                                points(c.delta), bounds_text(c.bounds), points(min_effect), q_value, fdr));
  }
  if (c.bounds.upper < min_effect) {
    return decision(VerifyResult::kRefuted, "upper_bound_below_min_effect",
                    fmt::format("upper bound {} points is below the planned {} points: the planned improvement is "
                                "ruled out (delta {} points, q = {:.3g})",
                                points(c.bounds.upper), points(min_effect), points(c.delta), q_value));
  }
  if (q_value <= fdr) {
    return decision(VerifyResult::kInconclusive, "undecided",
                    fmt::format("significant improvement (q = {:.3g}) of {} points, below the planned {} points, "
                                "but the upper bound {} points does not rule the planned effect out",
                                q_value, points(c.delta), points(min_effect), points(c.bounds.upper)));
  }
  return decision(VerifyResult::kInconclusive, "undecided",
                  fmt::format("no significant improvement (delta {} points, q = {:.3g} > fdr {:.3g}) and the upper "
                              "bound {} points still allows the planned {} points",
                              points(c.delta), q_value, fdr, points(c.bounds.upper), points(min_effect)));
}

Decision decide_guard(const PairedChange& c, double alpha, double margin) {
  if (c.n == 0) {
    return decision(VerifyResult::kInconclusive, "no_items", "none of the guard's items is in both runs");
  }
  if (c.bounds.upper < -margin) {
    return decision(VerifyResult::kRefuted, "upper_bound_below_margin",
                    fmt::format("guard regression: delta {} points (bounds {}), even the upper bound is below the "
                                "tolerated {} points",
                                points(c.delta), bounds_text(c.bounds), points(-margin)));
  }
  if (c.p_regression <= alpha && c.delta < -margin) {
    return decision(VerifyResult::kRefuted, "significant_regression_beyond_margin",
                    fmt::format("guard regression: significant loss (p = {:.3g} <= alpha {:.3g}) of {} points, "
                                "beyond the tolerated {} points",
                                c.p_regression, alpha, points(c.delta), points(-margin)));
  }
  if (c.bounds.lower > -margin) {
    return decision(VerifyResult::kConfirmed, "lower_bound_above_margin",
                    fmt::format("holds: lower bound {} points is above the tolerated {} points (delta {} points, "
                                "p = {:.3g})",
                                points(c.bounds.lower), points(-margin), points(c.delta), c.p_noninferior));
  }
  return decision(VerifyResult::kInconclusive, "undecided",
                  fmt::format("delta {} points with bounds {} straddling the tolerated {} points", points(c.delta),
                              bounds_text(c.bounds), points(-margin)));
}

Decision combine_with_control(const Decision& base, const Decision& ctrl, bool guard) {
  const std::string both = fmt::format("against the control: {}; against the baseline: {}", ctrl.reason, base.reason);
  using R = VerifyResult;
  if (guard) {
    if (ctrl.result == R::kRefuted) return decision(R::kRefuted, "guard_refuted_against_control", both);
    if (base.result == R::kRefuted) return decision(R::kRefuted, "guard_refuted_against_baseline", both);
    if (ctrl.result == R::kConfirmed && base.result == R::kConfirmed) {
      return decision(R::kConfirmed, "holds_against_both", both);
    }
    return decision(R::kInconclusive,
                    ctrl.result != R::kConfirmed ? "undecided_against_control" : "undecided_against_baseline", both);
  }
  if (ctrl.result == R::kConfirmed) {
    if (base.result == R::kRefuted) return decision(R::kInconclusive, "control_lost_ground", both);
    return decision(R::kConfirmed, "beats_control", both);
  }
  if (ctrl.result == R::kRefuted) return decision(R::kRefuted, "control_gained_as_much", both);
  return decision(R::kInconclusive, "undecided_against_control", both);
}

Decision decide_overall(std::span<const HypothesisOutcome> outcomes) {
  std::string refuted_guards;
  size_t targets = 0, targets_refuted = 0, targets_confirmed = 0, guards = 0, guards_confirmed = 0;
  for (const HypothesisOutcome& h : outcomes) {
    if (h.guard) {
      ++guards;
      guards_confirmed += h.result == VerifyResult::kConfirmed;
      if (h.result == VerifyResult::kRefuted) {
        refuted_guards += fmt::format("{}{}", refuted_guards.empty() ? "" : ", ", h.id);
      }
    } else {
      ++targets;
      targets_refuted += h.result == VerifyResult::kRefuted;
      targets_confirmed += h.result == VerifyResult::kConfirmed;
    }
  }
  if (!refuted_guards.empty()) {
    return decision(VerifyResult::kRefuted, "guard_refuted",
                    fmt::format("guard regression: {} lost more than its margin", refuted_guards));
  }
  if (targets == 0) {
    return decision(VerifyResult::kInconclusive, "no_targets", "the plan has no target hypothesis");
  }
  if (targets_refuted == targets) {
    return decision(VerifyResult::kRefuted, "all_targets_refuted",
                    fmt::format("every target refuted ({} of {}): the planned improvement did not happen",
                                targets_refuted, targets));
  }
  if (targets_confirmed == targets && guards_confirmed == guards) {
    return decision(VerifyResult::kConfirmed, "all_confirmed",
                    fmt::format("every target confirmed ({} of {}) and every guard holds ({} of {})", targets_confirmed,
                                targets, guards_confirmed, guards));
  }
  return decision(VerifyResult::kInconclusive, "mixed",
                  fmt::format("{} of {} targets confirmed, {} refuted; {} of {} guards hold, none regressed",
                              targets_confirmed, targets, targets_refuted, guards_confirmed, guards));
}

}  // namespace caploop
