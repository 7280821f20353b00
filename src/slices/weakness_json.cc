#include "slices/weakness_json.h"

namespace caploop {

namespace {

void write_interval(JsonWriter& json, const Interval& ci) {
  json.begin_array();
  json.value(ci.lower);
  json.value(ci.upper);
  json.end_array();
}

void write_residual(JsonWriter& json, const WeaknessResidual& r) {
  json.key("residual").begin_object();
  json.field("n", r.n);
  json.field("deficit", r.deficit);
  json.field("p_value", r.p_value);
  json.field("q_value", r.q_value);
  json.end_object();
}

// The slices a weakness explains and its operation decomposition (docs/slices.md).
void write_explanation(JsonWriter& json, const Weakness& w) {
  json.key("equivalent").begin_array();  // the aliases' tag sets, as a diagnosis lists them
  for (const ExplainedWeakness& e : w.explains) {
    if (e.relation == "alias") json.value(e.key.tags());
  }
  json.end_array();
  write_residual(json, w.residual);
  json.key("explains").begin_array();
  for (const ExplainedWeakness& e : w.explains) {
    json.begin_object();
    json.field("tags", e.key.tags());
    json.field("relation", e.relation);
    json.field("n", e.n);
    json.field("overlap", e.overlap);
    json.field("deficit", e.deficit);
    json.field("q_value", e.q_value);
    write_residual(json, e.residual);
    json.end_object();
  }
  json.end_array();
  json.key("operations").begin_object();
  json.field("split", w.operations.split);
  json.field("heterogeneity_p", w.operations.heterogeneity_p);
  json.key("parts").begin_array();
  for (const OperationPart& p : w.operations.parts) {
    json.begin_object();
    json.field("tags", p.tags());
    json.field("n", static_cast<int64_t>(p.items.size()));
    json.field("accuracy", p.stats.accuracy);
    json.field("deficit", p.stats.loss);
    json.field("q_value", p.q_value);
    json.field("deficit_share", p.loss_share);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace

void write_weaknesses_json(JsonWriter& json, const MiningResult& result) {
  json.begin_object();
  json.key("weaknesses").begin_array();
  for (const Weakness& w : result.weaknesses) {
    json.begin_object();
    json.key("tags").begin_array();
    for (const std::string& t : w.key.tags()) json.value(t);
    json.end_array();
    json.field("n", w.n);
    json.field("accuracy", w.accuracy);
    json.key("ci");
    write_interval(json, w.ci);
    json.field("q_value", w.q_value);
    json.key("items").begin_array();
    for (const std::string& item : w.items) json.value(item);
    json.end_array();
    json.field("p_value", w.p_value);
    json.field("deficit", w.deficit);
    json.field("impact", w.impact);
    json.field("complement_accuracy", w.complement_accuracy);
    json.key("runs").begin_array();
    for (const RunWeakness& r : w.runs) {
      json.begin_object();
      json.field("n", r.n);
      json.field("accuracy", r.accuracy);
      json.key("ci");
      write_interval(json, r.ci);
      json.field("complement_accuracy", r.complement_accuracy);
      json.field("deficit", r.deficit);
      json.field("p_value", r.p_value);
      json.end_object();
    }
    json.end_array();
    write_explanation(json, w);
    json.end_object();
  }
  json.end_array();
  const MinerOptions& o = result.options;
  json.key("mining").begin_object();
  json.field("runs", result.runs);
  json.field("slices_enumerated", result.slices_enumerated);
  json.field("slices_tested", result.slices_tested);
  json.field("significant", result.significant);
  json.field("fdr", o.fdr);
  json.field("fdr_method",
             o.fdr_method == FdrMethod::kBenjaminiHochberg ? "benjamini_hochberg" : "benjamini_yekutieli");
  json.field("max_order", o.lattice.max_order);
  json.field("min_support", o.lattice.min_support);
  json.field("refine_alpha", o.refine_alpha);
  json.end_object();
  json.end_object();
}

}  // namespace caploop
