#include "workspace/run_scoring.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "core/error.h"
#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "io/importer_files.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "store/harness_metrics.h"
#include "store/response_evidence.h"
#include "store/response_reader.h"
#include "store/score_table.h"
#include "store/sqlite.h"
#include "taxonomy/glob_pattern.h"

namespace caploop {

TaskRule parse_task_rule(std::string_view text) {
  size_t eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw Error(ErrorKind::kUsage, "expected PATTERN=RULE (e.g. 'math/*=math-minerva'), got '" + std::string(text) + "'");
  }
  TaskRule out{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  rule_or_throw(out.rule);
  return out;
}

bool task_rule_matches(const TaskRule& choice, std::string_view benchmark, std::string_view task) {
  size_t slash = choice.pattern.find('/');
  std::string_view b = std::string_view(choice.pattern).substr(0, slash);
  std::string_view t = slash == std::string::npos ? "*" : std::string_view(choice.pattern).substr(slash + 1);
  return GlobPattern(std::string(b)).matches(benchmark) && GlobPattern(std::string(t)).matches(task);
}

TaskRuleChoice::TaskRuleChoice(WorkspaceDb& ws, const RunRow& run, std::optional<std::string> rule,
                               std::vector<TaskRule> overrides)
    : rule_(std::move(rule)), overrides_(std::move(overrides)) {
  // the harness's own name of each task, from the run's extra_json "harness_tasks"
  const std::string& extra = run.info.generation.extra_json;
  if (extra.find("\"harness_tasks\"") != std::string::npos) {
    JsonParser parser;
    SourceLocation where{"runs.extra_json", 0, ""};
    simdjson::dom::element root = parser.parse(extra, where);
    if (auto tasks = json_find(root, "/harness_tasks", where); tasks && tasks->is_object()) {
      simdjson::dom::object object = tasks->get_object().value_unsafe();
      for (auto [key, value] : object) {
        if (value.is_string()) harness_tasks_[std::string(key)] = std::string(value.get_string().value_unsafe());
      }
    }
  }
  for (auto& [key, names] : harness_metric_names_per_task(ws, run.id)) {
    if (!names.empty()) first_metric_[key] = names.front();
  }
}

std::string TaskRuleChoice::default_rule(const std::string& benchmark, const std::string& task) const {
  auto harness_task = harness_tasks_.find(benchmark + "/" + task);
  std::string_view known = default_rule_name_for_task(
      benchmark, harness_task != harness_tasks_.end() ? std::string_view(harness_task->second) : std::string_view());
  if (!known.empty()) return std::string(known);
  auto metric = first_metric_.find({benchmark, task});
  if (metric != first_metric_.end()) return "harness:" + metric->second;
  return "exact";
}

std::string TaskRuleChoice::rule(const std::string& benchmark, const std::string& task) const {
  std::string chosen;
  for (const TaskRule& o : overrides_) {
    if (task_rule_matches(o, benchmark, task)) chosen = o.rule;
  }
  if (!chosen.empty()) return chosen;
  if (rule_) return *rule_;
  return default_rule(benchmark, task);
}

namespace {

struct Scored {
  Score score;
  Ending ending;
};

using RuleMap = std::map<BenchmarkTaskKey, const ScoringRule*>;
using Filtered = std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>>;
using Metrics = std::unordered_map<int64_t, HarnessMetricValues>;

void score_range(const std::vector<ResponseRow>& rows, size_t begin, size_t end, const RuleMap& rules,
                 const Filtered& filtered, const Metrics& metrics,
                 const std::map<std::pair<std::string, std::string>, int64_t>& longest,
                 std::optional<int64_t> max_new_tokens, std::vector<Scored>& out) {
  for (size_t i = begin; i < end; ++i) {
    const ResponseRow& r = rows[i];
    const ScoringRule* rule = rules.at({r.benchmark, r.task});
    ResponseEvidence evidence{r.text, r.reference, nullptr, nullptr};
    if (auto f = filtered.find(r.response_id); f != filtered.end()) evidence.filtered = &f->second;
    if (auto m = metrics.find(r.response_id); m != metrics.end()) evidence.harness_metrics = &m->second;
    Scored s;
    s.score = rule->score_evidence(evidence);
    EndingInput in;
    in.text = r.text;
    if (r.finish_reason) in.finish_reason = *r.finish_reason;
    in.n_tokens = r.n_tokens;
    in.max_new_tokens = max_new_tokens;
    auto it = longest.find({r.benchmark, r.task});
    if (it != longest.end()) in.run_max_bytes = static_cast<size_t>(it->second);
    s.ending = classify_ending(in, s.score.extraction);
    out[i] = std::move(s);
  }
}

ScoringReport score_with(WorkspaceDb& ws, const RunRow& run, const RuleMap& rules, unsigned threads,
                         Progress* progress) {
  ScoringReport report;
  report.run = run.info.name;
  for (const auto& [key, r] : rules) report.applied.push_back({key.first, key.second, std::string(r->name()), r->version(), 0, 0});
  auto longest = longest_response_per_task(ws, run.id);
  Metrics metrics = read_harness_metrics(ws, run.id);
  threads = std::max(1u, threads);

  Transaction tx(ws.db());
  ScoreWriter writer(ws);
  std::map<std::pair<std::string, std::string>, bool> cleared;  // (rule, benchmark)
  for (const auto& [key, r] : rules) {
    if (cleared.emplace(std::pair<std::string, std::string>(r->name(), key.first), true).second) {
      writer.clear(run.id, r->name(), key.first);
    }
  }
  ResponseReader reader(ws, run.id);
  std::vector<ResponseRow> batch;
  std::vector<Scored> scored;
  std::map<BenchmarkTaskKey, RuleApplication*> by_task;
  for (auto& a : report.applied) by_task[{a.benchmark, a.task}] = &a;
  while (reader.next_batch(batch)) {
    std::erase_if(batch, [&](const ResponseRow& r) { return !rules.count({r.benchmark, r.task}); });
    if (batch.empty()) continue;
    Filtered filtered = read_filtered_values(ws, run.id, batch.front().response_id, batch.back().response_id);
    scored.assign(batch.size(), Scored{});
    size_t n = batch.size();
    unsigned t = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n / 256)));
    if (t <= 1) {
      score_range(batch, 0, n, rules, filtered, metrics, longest, run.info.generation.max_new_tokens, scored);
    } else {
      std::vector<std::thread> pool;
      size_t chunk = (n + t - 1) / t;
      for (unsigned k = 0; k < t; ++k) {
        size_t b = k * chunk, e = std::min(n, b + chunk);
        if (b >= e) break;
        pool.emplace_back(score_range, std::cref(batch), b, e, std::cref(rules), std::cref(filtered),
                          std::cref(metrics), std::cref(longest), run.info.generation.max_new_tokens,
                          std::ref(scored));
      }
      for (auto& th : pool) th.join();
    }
    for (size_t i = 0; i < n; ++i) {
      const ScoringRule* r = rules.at({batch[i].benchmark, batch[i].task});
      writer.put(batch[i].response_id, r->name(), r->version(), scored[i].score, scored[i].ending);
      RuleApplication* a = by_task.at({batch[i].benchmark, batch[i].task});
      ++a->responses;
      a->correct += scored[i].score.correct ? 1 : 0;
    }
    if (progress) progress->advance(n);
  }
  tx.commit();
  return report;
}

}  // namespace

ScoringReport score_run(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                        Progress* progress, const std::optional<std::string>& only_benchmark) {
  if (rule) rule_or_throw(*rule);  // fail before writing anything
  RuleMap rules;
  TaskRuleChoice choice(ws, run, rule);
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) {
    if (only_benchmark && b != *only_benchmark) continue;
    rules[{b, t}] = &rule_or_throw(choice.rule(b, t));
  }
  return score_with(ws, run, rules, threads, progress);
}

ScoringReport score_run_by_task(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule,
                                const std::vector<TaskRule>& overrides, unsigned threads, Progress* progress) {
  if (rule) rule_or_throw(*rule);
  RuleMap rules;
  TaskRuleChoice choice(ws, run, rule, overrides);
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) rules[{b, t}] = &rule_or_throw(choice.rule(b, t));
  return score_with(ws, run, rules, threads, progress);
}

bool ensure_scored(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                   Progress* progress, const std::optional<std::string>& only_benchmark) {
  TaskRuleChoice choice(ws, run, rule);
  std::set<std::pair<std::string_view, std::string>> checked;  // (rule, benchmark): tasks share them
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) {
    if (only_benchmark && b != *only_benchmark) continue;
    const ScoringRule& r = rule_or_throw(choice.rule(b, t));
    if (!checked.emplace(r.name(), b).second) continue;
    auto v = stored_rule_version(ws, run.id, r.name(), b);
    if (!v || *v != r.version()) {
      score_run(ws, run, rule, threads, progress, only_benchmark);
      return true;
    }
  }
  return false;
}

}  // namespace caploop
