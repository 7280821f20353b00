#include "diagnose/diagnosis_json.h"

namespace caploop {

namespace {

void write_interval(JsonWriter& out, const Interval& ci) {
  out.begin_array().value(ci.lower).value(ci.upper).end_array();
}

void write_counts(JsonWriter& out, const std::map<std::string, int64_t>& counts) {
  out.begin_object();
  for (const auto& [name, count] : counts) out.field(name, count);
  out.end_object();
}

void write_residual(JsonWriter& out, const SliceResidual& r) {
  out.key("residual").begin_object();
  out.field("n", r.n);
  out.field("delta", r.delta);
  out.key("ci");
  write_interval(out, r.ci);
  out.field("p_value", r.p_value);
  out.field("q_value", r.q_value);
  out.end_object();
}

// The slices a finding explains and its operation decomposition (docs/diagnosis.md, "Minimal explanation").
void write_explanation(JsonWriter& out, const DiagnosisSlice& s) {
  write_residual(out, s.residual);
  out.key("explains").begin_array();
  for (const ExplainedSlice& e : s.explains) {
    out.begin_object();
    out.field("tags", e.tags);
    out.field("relation", e.relation);
    out.field("n", e.n);
    out.field("overlap", e.overlap);
    out.field("delta", e.delta);
    out.field("q_value", e.q_value);
    write_residual(out, e.residual);
    out.end_object();
  }
  out.end_array();
  out.key("operations").begin_object();
  out.field("split", s.split);
  out.field("heterogeneity_p", s.operations_heterogeneity_p);
  out.key("parts").begin_array();
  for (const OperationShare& p : s.operations) {
    out.begin_object();
    out.field("tags", p.tags);
    out.field("n", p.n);
    out.field("base_accuracy", p.base_accuracy);
    out.field("accuracy", p.accuracy);
    out.field("deficit", p.deficit);
    out.field("q_value", p.q_value);
    out.field("deficit_share", p.deficit_share);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

void write_slice(JsonWriter& out, const DiagnosisSlice& s) {
  out.begin_object();
  out.field("tags", s.tags);
  out.key("equivalent").begin_array();
  for (const auto& tags : s.equivalent) out.value(tags);
  out.end_array();
  out.field("n", s.n);
  out.field("base_accuracy", s.base_accuracy);
  out.field("cand_accuracy", s.cand_accuracy);
  out.field("delta", s.delta);
  out.field("excess_delta", s.excess_delta);
  out.key("ci");
  write_interval(out, s.ci);
  out.field("p_value", s.p_value);
  out.field("q_value", s.q_value);
  out.field("items", s.items);
  write_explanation(out, s);
  out.end_object();
}

void write_overall(JsonWriter& out, const DiagnosisEvidence& ev) {
  const PairedDifference& o = ev.overall;
  out.key("overall").begin_object();
  out.field("test", o.test);
  out.field("single_sample", ev.single_sample);
  out.field("n", o.n);
  out.field("base_accuracy", o.base_accuracy);
  out.field("cand_accuracy", o.cand_accuracy);
  out.field("delta", o.delta);
  out.key("ci");
  write_interval(out, o.ci);
  out.field("p_value", o.p_value);
  out.field("items_lost", o.lost);
  out.field("items_gained", o.gained);
  out.end_object();
  out.key("mcnemar").begin_object();
  out.field("b", o.lost);
  out.field("c", o.gained);
  out.field("p_value", o.p_value);
  out.field("applies", ev.single_sample);
  out.end_object();
}

void write_loss(JsonWriter& out, const LossDecomposition& l) {
  out.key("loss_decomposition").begin_object();
  out.field("items_lost", l.items_lost);
  out.field("items_gained", l.items_gained);
  out.field("lost_abnormal", l.lost_abnormal);
  out.field("lost_termination", l.lost_termination);
  out.field("lost_no_answer", l.lost_no_answer);
  out.field("lost_normal", l.lost_normal);
  out.field("abnormal_lost_share", l.abnormal_lost_share);
  out.field("termination_lost_share", l.termination_lost_share);
  out.field("no_answer_lost_share", l.no_answer_lost_share);
  out.field("accuracy_lost", l.accuracy_lost);
  out.field("accuracy_lost_abnormal", l.accuracy_lost_abnormal);
  out.field("accuracy_lost_normal", l.accuracy_lost_normal);
  out.field("base_abnormal_rate", l.base_abnormal_rate);
  out.field("cand_abnormal_rate", l.cand_abnormal_rate);
  out.field("base_termination_rate", l.base_termination_rate);
  out.field("cand_termination_rate", l.cand_termination_rate);
  out.end_object();
  out.key("rescoring").begin_object();
  out.field("cand_accuracy_lenient", l.cand_accuracy_lenient);
  out.field("cand_accuracy_first", l.cand_accuracy_first);
  out.field("recovered_share_lenient", l.recovered_share_lenient);
  out.field("recovered_share_first", l.recovered_share_first);
  out.field("recovered_share_either", l.recovered_share_either);
  out.end_object();
}

void write_answer_form(JsonWriter& out, const AnswerFormChange& f) {
  out.key("answer_form").begin_object();
  out.field("measured", f.measured);
  out.field("base_shape_share", f.base_shape_share);
  out.field("cand_shape_share", f.cand_shape_share);
  out.field("shape_share_drop", f.shape_share_drop);
  out.field("off_shape_lost_share", f.off_shape_lost_share);
  out.field("cand_accuracy_tolerant", f.cand_accuracy_tolerant);
  out.field("recovered_share_tolerant", f.recovered_share_tolerant);
  out.key("tasks").begin_array();
  for (const TaskShapeProfile& t : f.tasks) {
    out.begin_object().field("task", t.task).field("base_answered", t.base_answered);
    out.field("base_shaped", t.base_shaped).field("base_share", t.base_share);
    out.field("cand_answered", t.cand_answered).field("cand_shaped", t.cand_shaped);
    out.field("cand_share", t.cand_share).end_object();
  }
  out.end_array();
  out.key("examples").begin_array();
  for (const AnswerFormExample& e : f.examples) {
    out.begin_object().field("item", e.item).field("reference", e.reference);
    out.field("base_answer", e.base_answer).field("cand_answer", e.cand_answer);
    out.field("tolerant_correct", e.tolerant_correct).end_object();
  }
  out.end_array();
  out.end_object();
}

void write_broken_scoring(JsonWriter& out, const std::vector<BrokenScoringTask>& tasks) {
  out.key("broken_scoring").begin_array();
  for (const BrokenScoringTask& t : tasks) {
    out.begin_object().field("task", t.task).field("rule", t.rule).field("items", t.items);
    out.field("base_accuracy", t.base_accuracy).field("cand_accuracy", t.cand_accuracy);
    out.field("base_no_answer_share", t.base_no_answer_share);
    out.field("cand_no_answer_share", t.cand_no_answer_share).end_object();
  }
  out.end_array();
}

void write_heterogeneity(JsonWriter& out, const DiagnosisEvidence& ev) {
  const HeterogeneityResult& h = ev.heterogeneity;
  out.key("heterogeneity").begin_object();
  out.field("test", "cochran_q");
  out.field("partition_key", ev.partition_key);
  out.field("q", h.q);
  out.field("df", h.degrees_of_freedom);
  out.field("p_value", h.p_value);
  out.field("i_squared", h.i_squared);
  out.field("tau_squared", h.tau_squared);
  out.field("pooled_delta", h.pooled_estimate);
  out.field("loss_breadth", ev.loss_breadth);
  out.key("cells").begin_array();
  for (const PartitionCellSummary& c : ev.cells) {
    out.begin_object().field("value", c.value).field("n", c.n).field("delta", c.delta);
    out.field("standard_error", c.standard_error).end_object();
  }
  out.end_array();
  out.end_object();
}

void write_options(JsonWriter& out, const DiagnosisOptions& o) {
  out.key("thresholds").begin_object();
  out.field("alpha", o.alpha);
  out.field("fdr", o.fdr);
  out.field("fdr_method", fdr_method_name(o.fdr_method));
  out.field("confidence", o.confidence);
  out.field("max_order", o.max_order);
  out.field("min_support", o.min_support);
  out.field("max_reported_slices", o.max_reported_slices);
  out.field("partition_key", o.partition_key);
  out.field("max_unpaired_share", o.max_unpaired_share);
  out.field("max_prompt_mismatch_share", o.max_prompt_mismatch_share);
  out.field("max_set_aside_prompt_share", o.max_set_aside_prompt_share);
  out.field("min_concentrated_change_share", o.min_concentrated_change_share);
  out.field("min_abnormal_lost_share", o.min_abnormal_lost_share);
  out.field("min_abnormal_rate_ratio", o.min_abnormal_rate_ratio);
  out.field("min_abnormal_rate_increase", o.min_abnormal_rate_increase);
  out.field("min_recovered_share", o.min_recovered_share);
  out.field("min_loss_breadth", o.min_loss_breadth);
  out.field("min_no_answer_lost_share", o.min_no_answer_lost_share);
  out.field("min_shape_shift", o.min_shape_shift);
  out.field("min_off_shape_lost_share", o.min_off_shape_lost_share);
  out.field("max_broken_accuracy", o.max_broken_accuracy);
  out.field("min_broken_no_answer_share", o.min_broken_no_answer_share);
  out.field("power", o.power);
  out.field("max_detectable_effect", o.max_detectable_effect);
  out.field("min_planning_discordance", o.min_planning_discordance);
  out.end_object();
}

void write_evidence(JsonWriter& out, const DiagnosisEvidence& ev) {
  out.key("evidence").begin_object();
  write_overall(out, ev);
  write_loss(out, ev.loss);
  write_answer_form(out, ev.answer_form);
  write_broken_scoring(out, ev.broken_scoring);
  out.field("items_set_aside", ev.items_set_aside);
  write_heterogeneity(out, ev);
  out.key("power").begin_object();
  out.field("discordance_rate", ev.discordance_rate);
  out.field("planning_discordance", ev.planning_discordance);
  out.field("minimum_detectable_effect", ev.minimum_detectable_effect);
  out.field("alpha", ev.options.alpha);
  out.field("power", ev.options.power);
  out.end_object();
  out.key("slices").begin_object();
  out.field("tested", ev.slices_tested);
  out.field("regressed", ev.slices_regressed);
  out.field("improved", ev.slices_improved);
  out.end_object();
  out.key("comparability").begin_object();
  out.field("comparable", ev.comparability.comparable);
  out.key("checks").begin_array();
  for (const ComparabilityCheck& c : ev.comparability.checks) {
    out.begin_object().field("aspect", c.aspect).field("baseline", c.baseline).field("candidate", c.candidate);
    out.field("status", comparability_status_name(c.status)).field("measure", c.measure).end_object();
  }
  out.end_array();
  out.field("differing_prompt_items", ev.comparability.differing_prompt_items);
  out.field("differing_prompt_change_share", ev.comparability.differing_prompt_change_share);
  out.field("prompts_set_aside", ev.comparability.prompts_set_aside);
  out.end_object();
  out.key("endings").begin_object();
  out.key("baseline");
  write_counts(out, ev.baseline_endings);
  out.key("candidate");
  write_counts(out, ev.candidate_endings);
  out.end_object();
  out.key("checks").begin_array();
  for (const VerdictCheck& c : ev.checks) {
    out.begin_object().field("name", c.name).field("value", c.value).field("comparison", c.comparison);
    out.field("threshold", c.threshold).field("passed", c.passed).end_object();
  }
  out.end_array();
  write_options(out, ev.options);
  out.end_object();
}

}  // namespace

void write_diagnosis_json(JsonWriter& out, const Diagnosis& d) {
  out.begin_object();
  out.field("baseline", d.baseline);
  out.field("candidate", d.candidate);
  out.field("verdict", verdict_name(d.verdict));
  out.key("cause");
  if (d.cause) {
    out.value(cause_name(*d.cause));
  } else {
    out.null();
  }
  out.field("reason", d.reason);
  out.field("places_to_look", d.places_to_look);
  out.field("required_items", d.required_items);
  out.key("slices").begin_array();
  for (const DiagnosisSlice& s : d.slices) write_slice(out, s);
  out.end_array();
  write_evidence(out, d.evidence);
  out.end_object();
}

}  // namespace caploop
