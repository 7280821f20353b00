#include "workspace/run_export.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/json_writer.h"
#include "store/harness_metrics.h"
#include "store/response_evidence.h"
#include "store/score_table.h"
#include "store/scored_responses.h"
#include "workspace/run_scoring.h"

namespace caploop {

namespace {

struct Row {
  ScoredResponse r;
  std::string rule;
  const HarnessMetricValues* metrics = nullptr;
};

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number_text(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

std::string to_jsonl(const std::string& run, const std::vector<Row>& rows) {
  std::string out;
  for (const Row& row : rows) {
    const ScoredResponse& r = row.r;
    JsonWriter w;
    w.begin_object()
        .field("run", run)
        .field("item", r.task + ":" + r.source_id)
        .field("benchmark", r.benchmark)
        .field("task", r.task)
        .field("source_id", r.source_id)
        .field("sample_index", r.sample_index)
        .field("rule", row.rule)
        .field("rule_version", r.rule_version)
        .field("found", r.found)
        .field("answer", r.answer)
        .field("correct", r.correct)
        .field("ending", r.ending)
        .field("finish_reason", r.finish_reason)
        .field("reference", r.reference)
        .key("harness_metrics")
        .begin_object();
    if (row.metrics != nullptr) {
      for (const auto& [metric, value] : *row.metrics) w.field(metric, value);  // NaN is written as null
    }
    w.end_object().end_object();
    out += w.str();
    out += '\n';
  }
  return out;
}

std::string to_csv(const std::string& run, const std::vector<Row>& rows) {
  std::set<std::string> metric_names;
  for (const Row& row : rows) {
    if (row.metrics == nullptr) continue;
    for (const auto& [metric, value] : *row.metrics) metric_names.insert(metric);
  }
  std::string out =
      "run,item,benchmark,task,source_id,sample_index,rule,rule_version,found,answer,correct,ending,"
      "finish_reason,reference";
  for (const std::string& m : metric_names) out += "," + csv_field("harness:" + m);
  out += "\r\n";
  for (const Row& row : rows) {
    const ScoredResponse& r = row.r;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}", csv_field(run),
                       csv_field(r.task + ":" + r.source_id), csv_field(r.benchmark), csv_field(r.task),
                       csv_field(r.source_id), r.sample_index, csv_field(row.rule), r.rule_version,
                       r.found ? "true" : "false", csv_field(r.answer), r.correct ? "true" : "false",
                       csv_field(r.ending), csv_field(r.finish_reason.value_or("")), csv_field(r.reference));
    std::map<std::string, double> by_name;
    if (row.metrics != nullptr) {
      for (const auto& [metric, value] : *row.metrics) by_name.emplace(metric, value);
    }
    for (const std::string& m : metric_names) {
      auto it = by_name.find(m);
      out += ",";
      if (it != by_name.end()) out += number_text(it->second);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

ExportFormat parse_export_format(std::string_view name) {
  if (name == "jsonl") return ExportFormat::kJsonl;
  if (name == "csv") return ExportFormat::kCsv;
  throw_usage_error(fmt::format("unknown export format '{}' (expected jsonl or csv)", name));
}

std::string export_run(WorkspaceDb& ws, const ExportRequest& request, Progress* progress) {
  RunRow run = ws.run_or_throw(request.run);
  const auto metrics = read_harness_metrics(ws, run.id);
  // Each task under the rule summary uses for it; tasks grouped by (benchmark, rule), each group scored when
  // needed and read once.
  const TaskRuleChoice choice(ws, run, request.rule);
  std::map<std::pair<std::string, std::string>, std::set<std::string>> groups;
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) groups[{b, choice.rule(b, t)}].insert(t);
  std::vector<Row> rows;
  for (const auto& [key, tasks] : groups) {
    const auto& [benchmark, rule] = key;
    ensure_scored(ws, run, rule, request.threads, progress, benchmark);
    for (ScoredResponse& r : read_scored_responses(ws, run.id, benchmark, rule)) {
      if (!tasks.count(r.task)) continue;
      if (!r.scored) {
        throw Error(ErrorKind::kInternal,
                    fmt::format("response {} of run '{}' has no score under rule {} after scoring", r.response_id,
                                run.info.name, rule));
      }
      Row row{std::move(r), rule, nullptr};
      if (auto it = metrics.find(row.r.response_id); it != metrics.end()) row.metrics = &it->second;
      rows.push_back(std::move(row));
    }
  }
  return request.format == ExportFormat::kJsonl ? to_jsonl(run.info.name, rows) : to_csv(run.info.name, rows);
}

}  // namespace caploop
