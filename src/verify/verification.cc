#include "verify/verification.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "mixture/hypothesis_metric.h"
#include "verify/hypothesis_items.h"

namespace caploop {
namespace {

SourceLocation hypothesis_field(const std::string& plan_file, size_t index, const char* field) {
  return SourceLocation{plan_file, 0, fmt::format("/hypotheses/{}/{}", index, field)};
}

void check_input(const VerificationInput& in, const VerifyOptions& options) {
  if (!(options.fdr > 0.0 && options.fdr < 1.0)) {
    throw Error(ErrorKind::kInput, fmt::format("fdr must be in (0, 1), got {}", options.fdr), {"", 0, "fdr"});
  }
  if (in.plan.hypotheses.empty()) {
    throw Error(ErrorKind::kInput, "the plan has no hypotheses: nothing to verify",
                SourceLocation{in.plan_file, 0, "/hypotheses"});
  }
  for (size_t i = 0; i < in.plan.hypotheses.size(); ++i) {
    const PlanHypothesis& h = in.plan.hypotheses[i];
    if (!(h.alpha > 0.0 && h.alpha < 0.5)) {
      throw Error(ErrorKind::kInput, fmt::format("hypothesis {}: alpha must be in (0, 0.5), got {}", h.id, h.alpha),
                  hypothesis_field(in.plan_file, i, "alpha"));
    }
    if (h.kind == "guard" && !(h.margin >= 0.0 && h.margin < 1.0)) {
      throw Error(ErrorKind::kInput, fmt::format("hypothesis {}: margin must be in [0, 1), got {}", h.id, h.margin),
                  hypothesis_field(in.plan_file, i, "margin"));
    }
  }
}

std::vector<PairedOutcome> sorted_unique(std::vector<PairedOutcome> items) {
  std::sort(items.begin(), items.end(), [](const PairedOutcome& a, const PairedOutcome& b) { return a.key < b.key; });
  auto dup = std::adjacent_find(items.begin(), items.end(),
                                [](const PairedOutcome& a, const PairedOutcome& b) { return a.key == b.key; });
  if (dup != items.end()) {
    throw Error(ErrorKind::kInput,
                fmt::format("item key '{}' occurs twice among the paired items: keys must identify items", dup->key),
                {"", 0, "items"});
  }
  return items;
}

std::vector<std::string> notes_for(const VerificationInput& in, const std::vector<HypothesisVerification>& hs) {
  std::vector<std::string> notes;
  const MixturePlan& plan = in.plan;
  if (!plan.candidate.empty() && in.baseline != plan.candidate && in.baseline != plan.baseline) {
    notes.push_back(
        fmt::format("baseline '{}' is neither run the plan was made from ('{}' -> '{}'): the planned "
                    "baseline accuracies may not describe it",
                    in.baseline, plan.baseline, plan.candidate));
  }
  if (in.only_in_baseline > 0 || in.only_in_candidate > 0) {
    notes.push_back(fmt::format("{} items evaluated only by the baseline and {} only by the candidate are left out",
                                in.only_in_baseline, in.only_in_candidate));
  }
  for (const HypothesisVerification& h : hs) {
    if (h.has_control && h.against_control.items_missing > 0) {
      notes.push_back(fmt::format("{}: {} planned items are not in both the control and the candidate run", h.id,
                                  h.against_control.items_missing));
    }
    if (h.change.short_items > 0) {
      notes.push_back(fmt::format("{}: {} items have fewer samples than {} needs and are left out", h.id,
                                  h.change.short_items, h.metric));
    }
    if (h.items_missing > 0) {
      notes.push_back(fmt::format("{}: {} of {} planned items are not in both runs; tested on {}", h.id,
                                  h.items_missing, h.items_missing + h.change.n, h.change.n));
    }
  }
  return notes;
}

}  // namespace

std::string_view fdr_method_label(FdrMethod method) { return method == FdrMethod::kBenjaminiYekutieli ? "by" : "bh"; }

namespace {

// Measures and decides every hypothesis on one set of paired items (base -> cand); targets' q-values adjusted
// across targets. Returns one ReferenceComparison per plan hypothesis.
std::vector<ReferenceComparison> compare_all(const VerificationInput& in, const std::vector<PairedOutcome>& items,
                                             const VerifyOptions& options) {
  const std::vector<PairedOutcome> paired = sorted_unique(items);
  const std::vector<HypothesisItems> resolved = resolve_hypothesis_items(in.plan, in.plan_file, paired);
  std::vector<ReferenceComparison> out(in.plan.hypotheses.size());
  std::vector<size_t> targets;
  std::vector<double> target_p;
  for (size_t i = 0; i < in.plan.hypotheses.size(); ++i) {
    const PlanHypothesis& h = in.plan.hypotheses[i];
    const bool guard = h.kind == "guard";
    const int64_t pass_k =
        pass_k_of_metric(h.metric, SourceLocation{in.plan_file, 0, fmt::format("/hypotheses/{}/metric", i)});
    ReferenceComparison& r = out[i];
    r.items_missing = resolved[i].missing;
    r.change = measure_paired_change(resolved[i].items, h.alpha, guard ? h.margin : 0.0, pass_k);
    if (guard) {
      r.p_value = r.change.p_noninferior;
      r.q_value = r.p_value;
      r.decision = decide_guard(r.change, h.alpha, h.margin);
    } else {
      r.p_value = r.change.p_improvement;
      targets.push_back(i);
      target_p.push_back(r.p_value);
    }
  }
  const std::vector<double> q = options.fdr_method == FdrMethod::kBenjaminiYekutieli ? benjamini_yekutieli(target_p)
                                                                                     : benjamini_hochberg(target_p);
  for (size_t k = 0; k < targets.size(); ++k) {
    ReferenceComparison& r = out[targets[k]];
    r.q_value = q[k];
    r.decision = decide_target(r.change, r.q_value, options.fdr, in.plan.hypotheses[targets[k]].min_effect);
  }
  return out;
}

}  // namespace

Verification verify_plan(const VerificationInput& in, const VerifyOptions& options) {
  check_input(in, options);
  const std::vector<PairedOutcome> paired = sorted_unique(in.items);
  const std::vector<HypothesisItems> resolved = resolve_hypothesis_items(in.plan, in.plan_file, paired);
  const std::vector<ReferenceComparison> against_baseline = compare_all(in, in.items, options);
  const bool has_control = !in.control.empty();
  std::vector<ReferenceComparison> against_control;
  std::vector<HypothesisItems> gain_items;
  if (has_control) {
    against_control = compare_all(in, in.control_items, options);
    gain_items = resolve_hypothesis_items(in.plan, in.plan_file, sorted_unique(in.control_gain_items));
  }

  Verification v;
  v.plan_file = in.plan_file;
  v.baseline = in.baseline;
  v.candidate = in.candidate;
  v.control = in.control;
  v.scoring_rule = in.scoring_rule;
  v.options = options;
  v.paired_items = static_cast<int64_t>(paired.size());
  v.only_in_baseline = in.only_in_baseline;
  v.only_in_candidate = in.only_in_candidate;

  for (size_t i = 0; i < in.plan.hypotheses.size(); ++i) {
    const PlanHypothesis& h = in.plan.hypotheses[i];
    const ReferenceComparison& b = against_baseline[i];
    HypothesisVerification r;
    r.id = h.id;
    r.kind = h.kind;
    r.description = h.description;
    r.slice_tags = h.slice_tags;
    r.rest = resolved[i].rest;
    r.planned_n = h.n;
    r.planned_baseline_accuracy = h.baseline_accuracy;
    r.min_effect = h.min_effect;
    r.margin = h.margin;
    r.alpha = h.alpha;
    r.metric = h.metric.empty() ? "accuracy" : h.metric;
    r.items_missing = b.items_missing;
    r.change = b.change;
    r.p_value = b.p_value;
    r.q_value = b.q_value;
    r.against_baseline = b.decision;
    r.decision = b.decision;
    if (has_control) {
      r.has_control = true;
      r.against_control = against_control[i];
      r.control_gain = measure_paired_change(gain_items[i].items, h.alpha, h.kind == "guard" ? h.margin : 0.0,
                                             pass_k_of_metric(r.metric));
      r.decision = combine_with_control(b.decision, r.against_control.decision, h.kind == "guard");
    }
    v.hypotheses.push_back(std::move(r));
  }

  if (has_control && in.plan.control && in.plan.control->expectations.size() == v.hypotheses.size()) {
    for (size_t i = 0; i < v.hypotheses.size(); ++i) {
      const PlanHypothesis& e = in.plan.control->expectations[i];
      const HypothesisVerification& h = v.hypotheses[i];
      ControlExpectationResult r{e.id, e.kind, h.id, e.description, {}};
      const PairedChange& g = h.control_gain;
      if (e.kind == "guard") {
        r.decision = decide_guard(g, h.alpha, h.margin);
      } else if (g.n == 0) {
        r.decision = Decision{VerifyResult::kInconclusive, "no_items", "none of the items is in both runs"};
      } else if (g.p_improvement <= h.alpha && g.delta >= h.min_effect) {
        r.decision = Decision{VerifyResult::kRefuted, "control_reached_planned_gain",
                              fmt::format("the control alone gained {:+.1f} points (p = {:.3g}), at least {}'s planned "
                                          "{:+.1f}: extra training explains the planned gain",
                                          100 * g.delta, g.p_improvement, h.id, 100 * h.min_effect)};
      } else if (g.bounds.upper < h.min_effect) {
        r.decision = Decision{VerifyResult::kConfirmed, "upper_bound_below_min_effect",
                              fmt::format("the control gained {:+.1f} points, upper bound {:+.1f} below {}'s planned "
                                          "{:+.1f}",
                                          100 * g.delta, 100 * g.bounds.upper, h.id, 100 * h.min_effect)};
      } else {
        r.decision =
            Decision{VerifyResult::kInconclusive, "undecided",
                     fmt::format("the control gained {:+.1f} points, bounds [{:+.1f}, {:+.1f}] around {}'s "
                                 "planned {:+.1f}",
                                 100 * g.delta, 100 * g.bounds.lower, 100 * g.bounds.upper, h.id, 100 * h.min_effect)};
      }
      v.control_expectations.push_back(std::move(r));
    }
  }

  std::vector<HypothesisOutcome> outcomes;
  for (const HypothesisVerification& r : v.hypotheses) {
    outcomes.push_back(HypothesisOutcome{r.id, r.kind == "guard", r.decision.result});
  }
  v.overall = decide_overall(outcomes);
  v.notes = notes_for(in, v.hypotheses);
  v.attribution_note =
      has_control
          ? fmt::format(
                "targets are tested against control run '{}' (trained as long on the control mixture): a "
                "confirmed target is a gain the targeted data bought beyond the extra training",
                in.control)
          : "no control run (--control): a gain over the baseline cannot be attributed to the targeted data rather "
            "than to the extra training itself; train the plan's control arm as long and verify against it";
  return v;
}

}  // namespace caploop
