#include "workspace/run_summary_json.h"

namespace caploop {

namespace {

void write_metric_map(JsonWriter& w, const std::vector<std::pair<int64_t, MetricEstimate>>& m) {
  w.begin_object();
  for (const auto& [k, est] : m) {
    w.key(std::to_string(k)).begin_object().field("mean", est.mean).field("se", est.std_error);
    w.field("items", est.items).end_object();
  }
  w.end_object();
}

}  // namespace

void write_agreement_fields(JsonWriter& w, const TaskSummary& t) {
  w.field("accuracy_basis", t.accuracy_basis).field("first_sample_accuracy", t.first_sample_accuracy);
  w.key("harness").begin_object().field("metric", t.harness_metric);
  w.key("accuracy").value(t.harness_accuracy);
  w.key("reported").value(t.harness_aggregate);
  w.key("agreement").value(t.agreement);
  w.field("agreement_items", t.agreement_items).end_object();
  w.key("warnings").value(t.warnings);
}

void write_summary_warnings(JsonWriter& w, const RunSummary& s) {
  w.begin_array();
  for (const auto& r : s.rows) {
    for (const auto& m : r.warnings) w.value(m);
  }
  w.end_array();
}

void write_task_summary(JsonWriter& w, const TaskSummary& t) {
  w.begin_object()
      .field("benchmark", t.benchmark)
      .field("task", t.task)
      .field("rule", t.rule)
      .field("rule_version", t.rule_version)
      .field("n_items", t.n_items)
      .field("n_samples", t.n_samples)
      .field("accuracy", t.accuracy)
      .field("accuracy_se", t.accuracy_se)
      .field("accuracy_percent", 100.0 * t.accuracy);
  write_agreement_fields(w, t);
  w.key("pass_at_k");
  write_metric_map(w, t.pass_at_k);
  w.key("maj_at_k");
  write_metric_map(w, t.maj_at_k);
  const auto& e = t.endings;
  w.key("endings")
      .begin_object()
      .field("stopped", e.stopped)
      .field("truncated", e.truncated)
      .field("ran_on", e.ran_on)
      .field("degenerate_repetition", e.degenerate_repetition)
      .field("no_answer", e.no_answer)
      .field("ran_on_any", e.ran_on_any)
      .field("truncated_recorded", e.truncated_recorded)
      .field("truncated_inferred", e.truncated_inferred)
      .end_object();
  w.end_object();
}

std::string run_summary_to_json(const RunSummary& s) {
  JsonWriter w(true);
  w.begin_object().field("run", s.run).key("tasks").begin_array();
  for (const auto& r : s.rows) {
    if (r.task != "*") write_task_summary(w, r);
  }
  w.end_array().key("benchmarks").begin_array();
  for (const auto& r : s.rows) {
    if (r.task == "*") write_task_summary(w, r);
  }
  w.end_array().key("warnings");
  write_summary_warnings(w, s);
  w.end_object();
  return w.take();
}

}  // namespace caploop
