#include "verify/verification_json.h"

namespace caploop {
namespace {

void write_decision(JsonWriter& out, const Decision& d) {
  out.begin_object();
  out.field("result", verify_result_name(d.result));
  out.field("rule", d.rule);
  out.field("reason", d.reason);
  out.end_object();
}

void write_change(JsonWriter& out, const PairedChange& c, const char* base_name, const char* cand_name) {
  out.field("n", c.n);
  out.field(base_name, c.base_accuracy);
  out.field(cand_name, c.cand_accuracy);
  out.field("delta", c.delta);
  out.key("ci").begin_array().value(c.bounds.lower).value(c.bounds.upper).end_array();
  out.key("exact_ci").begin_array().value(c.exact_bounds.lower).value(c.exact_bounds.upper).end_array();
  out.field("exact_method", c.exact_method);
  out.field("test", c.test);
}

void write_hypothesis(JsonWriter& out, const HypothesisVerification& h) {
  const PairedChange& c = h.change;
  out.begin_object();
  out.field("id", h.id);
  out.field("kind", h.kind);
  out.field("description", h.description);
  out.field("slice_tags", h.slice_tags);
  out.field("items_from", h.rest ? "rest" : "plan");
  out.field("planned_n", h.planned_n);
  out.field("planned_baseline_accuracy", h.planned_baseline_accuracy);
  out.field("n", c.n);
  out.field("items_missing", h.items_missing);
  out.field("baseline_accuracy", c.base_accuracy);
  out.field("candidate_accuracy", c.cand_accuracy);
  out.field("delta", c.delta);
  out.key("ci").begin_array().value(c.bounds.lower).value(c.bounds.upper).end_array();
  out.key("exact_ci").begin_array().value(c.exact_bounds.lower).value(c.exact_bounds.upper).end_array();
  out.field("exact_method", c.exact_method);
  out.field("metric", h.metric);
  out.field("items_short", c.short_items);
  out.field("confidence", 1.0 - 2.0 * h.alpha);
  out.field("alpha", h.alpha);
  out.field("test", c.test);
  out.field("p_value", h.p_value);
  out.field("q_value", h.q_value);
  out.field("p_improvement", c.p_improvement);
  out.field("p_regression", c.p_regression);
  out.field("p_noninferior", c.p_noninferior);
  if (h.kind == "guard") {
    out.field("margin", h.margin);
  } else {
    out.field("min_effect", h.min_effect);
  }
  out.field("result", verify_result_name(h.decision.result));
  out.field("rule", h.decision.rule);
  out.field("reason", h.decision.reason);
  out.field("items_lost", static_cast<int64_t>(c.lost_items.size()));
  out.field("items_gained", static_cast<int64_t>(c.gained_items.size()));
  out.field("lost_items", c.lost_items);
  out.field("gained_items", c.gained_items);
  out.key("against_baseline");
  write_decision(out, h.against_baseline);
  if (h.has_control) {
    const ReferenceComparison& k = h.against_control;
    out.key("against_control").begin_object();
    write_change(out, k.change, "control_accuracy", "candidate_accuracy");
    out.field("items_missing", k.items_missing);
    out.field("p_value", k.p_value);
    out.field("q_value", k.q_value);
    out.field("p_improvement", k.change.p_improvement);
    out.field("p_regression", k.change.p_regression);
    out.field("p_noninferior", k.change.p_noninferior);
    out.field("result", verify_result_name(k.decision.result));
    out.field("rule", k.decision.rule);
    out.field("reason", k.decision.reason);
    out.field("items_lost", static_cast<int64_t>(k.change.lost_items.size()));
    out.field("items_gained", static_cast<int64_t>(k.change.gained_items.size()));
    out.end_object();
    out.key("control_gain").begin_object();
    write_change(out, h.control_gain, "baseline_accuracy", "control_accuracy");
    out.end_object();
  } else {
    out.key("against_control").null();
  }
  out.end_object();
}

void write_tally(JsonWriter& out, const Verification& v, bool guards) {
  int64_t total = 0, confirmed = 0, refuted = 0, inconclusive = 0;
  for (const HypothesisVerification& h : v.hypotheses) {
    if ((h.kind == "guard") != guards) continue;
    ++total;
    confirmed += h.decision.result == VerifyResult::kConfirmed;
    refuted += h.decision.result == VerifyResult::kRefuted;
    inconclusive += h.decision.result == VerifyResult::kInconclusive;
  }
  out.begin_object();
  out.field("total", total).field("confirmed", confirmed).field("refuted", refuted);
  out.field("inconclusive", inconclusive);
  out.end_object();
}

}  // namespace

void write_verification_json(JsonWriter& out, const Verification& v) {
  out.begin_object();
  out.field("verdict", v.verdict());
  out.field("rule", v.overall.rule);
  out.field("reason", v.overall.reason);
  out.field("plan", v.plan_file);
  out.field("baseline", v.baseline);
  out.field("candidate", v.candidate);
  if (v.control.empty()) {
    out.key("control").null();
  } else {
    out.field("control", v.control);
  }
  out.field("attribution", v.control.empty() ? "none" : "control");
  out.field("attribution_note", v.attribution_note);
  out.field("scoring_rule", v.scoring_rule);
  out.field("fdr", v.options.fdr);
  out.field("fdr_method", fdr_method_label(v.options.fdr_method));
  out.key("hypotheses").begin_array();
  for (const HypothesisVerification& h : v.hypotheses) write_hypothesis(out, h);
  out.end_array();
  out.key("evidence").begin_object();
  out.field("paired_items", v.paired_items);
  out.field("only_in_baseline", v.only_in_baseline);
  out.field("only_in_candidate", v.only_in_candidate);
  out.key("targets");
  write_tally(out, v, false);
  out.key("guards");
  write_tally(out, v, true);
  out.end_object();
  out.field("notes", v.notes);
  out.key("control_expectations").begin_array();
  for (const ControlExpectationResult& e : v.control_expectations) {
    out.begin_object();
    out.field("id", e.id).field("kind", e.kind).field("of", e.of).field("description", e.description);
    out.field("result", verify_result_name(e.decision.result));
    out.field("rule", e.decision.rule).field("reason", e.decision.reason);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

std::string verification_to_json(const Verification& v) {
  JsonWriter out(/*pretty=*/true);
  write_verification_json(out, v);
  std::string text = out.take();
  text.push_back('\n');
  return text;
}

}  // namespace caploop
