// Plan hypotheses: what a plan pre-registers for `caploop verify` to test after retraining. One "target"
// hypothesis per mapped weak slice (its items should improve by at least min_effect) and one "guard"
// hypothesis, "rest": every other item of the runs must not lose more than the guard margin.
//
// The minimum effect is the smallest accuracy gain a one-sided paired test (McNemar, normal approximation;
// stats/paired_power.h) at the plan's alpha and power can detect on the slice's n items. Its discordance rate
// (share of items whose outcome differs between the runs) is not known before retraining; it is taken as for
// independent outcomes at the two accuracies p and p + d: psi(d) = p (1 - p - d) + (p + d)(1 - p). Runs of
// related models agree more than independent ones, so this is conservative (larger psi, larger effect). The
// effect is the smallest d in (0, 1 - p] (found by bisection) with minimum_detectable_effect(n, psi(d)) <= d;
// +infinity when not even d = 1 - p can be shown (tiny slices, or p = 1).
//
// Contract: pure functions of their arguments; thread-safe. Invalid alpha/power throw caploop::Error (kInput).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mixture/mixture_plan.h"

namespace caploop {

double minimum_detectable_improvement(int64_t n, double baseline_accuracy, double alpha, double power);

// Hypotheses "H1", "H2", ...: targets in slice order (mapped slices only), then the guard.
// Metric: targets are stated on accuracy unless set_target_metric() chooses "pass@k" for all targets
// (slice_id empty) or for the target of one slice (its description names the slice id, "slice S2 ..."). The
// minimum effect stays the one computed from the slice's accuracy as for 0/1 outcomes: per-item pass@k at a
// large k is close to 0/1 (solved at least once or not), so this is an approximation; the description says
// which metric is tested. Throws caploop::Error (kUsage) for an unknown metric or a slice id no target has.
std::vector<PlanHypothesis> plan_hypotheses(const std::vector<PlanSlice>& slices,
                                            const std::vector<PlanStream>& streams, const PlanOptions& options);

// Small-sample limits, stated before any training. items_needed(): the smallest number of items whose
// minimum detectable improvement at (alpha, power) from `baseline_accuracy` is at most `gain` (doubling, then
// bisection; -1 above 10^7 items). detectability_notes(): per target hypothesis, a note when no gain is
// detectable at all ("no improvement is detectable on so few items ...") and, otherwise, when its minimum
// effect exceeds options.plausible_gain: the benchmark cannot show the effect; the note gives what pooling
// buys (twice the items — AIME 2024 + 2025 when the items are AIME problems — and the items the plausible gain
// needs) and suggests a larger benchmark sharing the slice's operation tags.
int64_t items_needed(double gain, double baseline_accuracy, double alpha, double power);
std::vector<std::string> detectability_notes(const std::vector<PlanHypothesis>& hypotheses, const PlanOptions& options);

void set_target_metric(std::vector<PlanHypothesis>& hypotheses, const std::string& metric,
                       const std::string& slice_id = "");

}  // namespace caploop
