#include "workspace/run_scoring.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include "core/error.h"
#include "core/parallel_for.h"
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
#include "workspace/by_task_lookup.h"

namespace caploop {

TaskRule parse_task_rule(std::string_view text) {
  size_t eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw Error(ErrorKind::kUsage,
                "expected PATTERN=RULE (e.g. 'math/*=math-minerva'), got '" + std::string(text) + "'");
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

std::map<std::string, std::string> harness_task_names(const std::string& extra_json) {
  std::map<std::string, std::string> out;
  if (extra_json.find("\"harness_tasks\"") == std::string::npos) return out;
  JsonParser parser;
  SourceLocation where{"runs.extra_json", 0, ""};
  simdjson::dom::element root = parser.parse(extra_json, where);
  if (auto tasks = json_find(root, "/harness_tasks", where); tasks && tasks->is_object()) {
    simdjson::dom::object object = tasks->get_object().value_unsafe();
    for (auto [key, value] : object) {
      if (value.is_string()) out[std::string(key)] = std::string(value.get_string().value_unsafe());
    }
  }
  return out;
}

TaskRuleChoice::TaskRuleChoice(WorkspaceDb& ws, const RunRow& run, std::optional<std::string> rule,
                               std::vector<TaskRule> overrides)
    : rule_(std::move(rule)),
      overrides_(std::move(overrides)),
      harness_tasks_(harness_task_names(run.info.generation.extra_json)) {
  for (auto& [key, names] : harness_metric_names_per_task(ws, run.id)) {
    if (!names.empty()) first_metric_[key] = names.front();
  }
}

std::string_view known_default_rule(const std::map<std::string, std::string>& harness_tasks,
                                    const std::string& benchmark, const std::string& task) {
  auto harness_task = harness_tasks.find(benchmark + "/" + task);
  return default_rule_name_for_task(
      benchmark, harness_task != harness_tasks.end() ? std::string_view(harness_task->second) : std::string_view());
}

std::string TaskRuleChoice::default_rule(const std::string& benchmark, const std::string& task) const {
  std::string_view known = known_default_rule(harness_tasks_, benchmark, task);
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

using RuleMap = TaskRules;
using Filtered = std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>>;

using Metrics = std::unordered_map<int64_t, HarnessMetricValues>;

// Scores rows [begin, end) under each rule set that covers their task: out[k * rows.size() + i].
void score_range(const std::vector<ResponseRow>& rows, size_t begin, size_t end,
                 const std::vector<const RuleMap*>& rule_sets, const Filtered& filtered, const Metrics& metrics,
                 const std::map<std::pair<std::string, std::string>, int64_t>& longest,
                 std::optional<int64_t> max_new_tokens, bool with_endings, std::vector<Scored>& out) {
  for (size_t k = 0; k < rule_sets.size(); ++k) {
    ByTaskLookup rule_of(*rule_sets[k]);
    ByTaskLookup longest_of(longest);
    for (size_t i = begin; i < end; ++i) {
      const ResponseRow& r = rows[i];
      const ScoringRule* const* found = rule_of.find(r.benchmark, r.task);
      if (found == nullptr) continue;
      const ScoringRule* rule = *found;
      ResponseEvidence evidence{r.text, r.reference, nullptr, nullptr};
      if (auto f = filtered.find(r.response_id); f != filtered.end()) evidence.filtered = &f->second;
      if (auto m = metrics.find(r.response_id); m != metrics.end()) evidence.harness_metrics = &m->second;
      Scored s;
      s.score = rule->score_evidence(evidence);
      if (with_endings) {
        EndingInput in;
        in.text = r.text;
        if (r.finish_reason) in.finish_reason = *r.finish_reason;
        in.n_tokens = r.n_tokens;
        in.max_new_tokens = max_new_tokens;
        if (const int64_t* bytes = longest_of.find(r.benchmark, r.task)) in.run_max_bytes = static_cast<size_t>(*bytes);
        s.ending = classify_ending(in, s.score.extraction);
      }
      out[k * rows.size() + i] = std::move(s);
    }
  }
}

}  // namespace

void score_responses(WorkspaceDb& ws, const RunRow& run, const TaskRules& rules, unsigned threads, bool with_endings,
                     Progress* progress, const ScoredResponseSink& on_scored) {
  score_responses_under(
      ws, run, {&rules}, threads, with_endings, progress,
      [&](const ResponseRow& row, size_t, const Score& score, const Ending& ending) { on_scored(row, score, ending); });
}

void score_responses_under(WorkspaceDb& ws, const RunRow& run, const std::vector<const TaskRules*>& rule_sets,
                           unsigned threads, bool with_endings, Progress* progress,
                           const ScoredResponseUnderSink& on_scored) {
  std::vector<ByTaskLookup<const TaskRules>> lookups;  // one per rule set, used on this thread only
  for (const TaskRules* rules : rule_sets) lookups.emplace_back(*rules);
  auto covered = [&](const ResponseRow& r) {
    for (auto& lookup : lookups) {
      if (lookup.find(r.benchmark, r.task) != nullptr) return true;
    }
    return false;
  };
  bool harness_values = false;  // filtered values and per-record metrics are read only for rules that use them
  for (const TaskRules* rules : rule_sets) {
    for (const auto& [key, rule] : *rules) harness_values = harness_values || rule->reads_harness_values();
  }
  std::map<std::pair<std::string, std::string>, int64_t> longest;
  if (with_endings) longest = longest_response_per_task(ws, run.id);
  Metrics metrics;
  if (harness_values) metrics = read_harness_metrics(ws, run.id);
  threads = std::max(1u, threads);
  ResponseReader reader(ws, run.id, 20000, threads);
  // Double-buffered: while the workers decode and score one batch, this thread reads the next from SQLite; the
  // sink sees the batches in order, on this thread.
  auto read = [&](std::vector<ResponseRow>& batch, Filtered& filtered) {
    while (reader.next_batch(batch, /*decode=*/false)) {
      std::erase_if(batch, [&](const ResponseRow& r) { return !covered(r); });
      if (batch.empty()) continue;
      filtered.clear();
      if (harness_values) {
        filtered = read_filtered_values(ws, run.id, batch.front().response_id, batch.back().response_id);
      }
      return true;
    }
    return false;
  };
  std::vector<ResponseRow> batch, next;
  Filtered filtered, next_filtered;
  std::vector<Scored> scored;
  bool more = read(batch, filtered);
  while (more) {
    reader.load_dictionaries(batch);  // no worker runs now
    const size_t n = batch.size();
    scored.assign(n * rule_sets.size(), Scored{});
    const unsigned t = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n / 256)));
    const size_t chunk = (n + t - 1) / t;  // t contiguous ranges, one per thread
    auto work = std::async(std::launch::async, [&] {
      parallel_for(t, t, [&](size_t k) {
        size_t begin = std::min(n, k * chunk), end = std::min(n, (k + 1) * chunk);
        reader.decode(batch, begin, end, static_cast<unsigned>(k));
        score_range(batch, begin, end, rule_sets, filtered, metrics, longest, run.info.generation.max_new_tokens,
                    with_endings, scored);
      });
    });
    bool more_next;
    try {
      more_next = read(next, next_filtered);
    } catch (...) {
      work.wait();
      throw;
    }
    work.get();
    for (size_t k = 0; k < rule_sets.size(); ++k) {
      for (size_t i = 0; i < n; ++i) {
        if (lookups[k].find(batch[i].benchmark, batch[i].task) != nullptr) {
          on_scored(batch[i], k, scored[k * n + i].score, scored[k * n + i].ending);
        }
      }
    }
    if (progress) progress->advance(n);
    std::swap(batch, next);
    std::swap(filtered, next_filtered);
    more = more_next;
  }
}

ScoringReport score_tasks(WorkspaceDb& ws, const RunRow& run, const TaskRules& rules, unsigned threads,
                          Progress* progress) {
  ScoringReport report;
  report.run = run.info.name;
  for (const auto& [key, r] : rules)
    report.applied.push_back({key.first, key.second, std::string(r->name()), r->version(), 0, 0});

  Transaction tx(ws.db());
  ScoreWriter writer(ws);
  std::map<std::pair<std::string, std::string>, bool> cleared;  // (rule, benchmark)
  for (const auto& [key, r] : rules) {
    if (cleared.emplace(std::pair<std::string, std::string>(r->name(), key.first), true).second) {
      writer.clear(run.id, r->name(), key.first);
    }
  }
  std::map<BenchmarkTaskKey, RuleApplication*> by_task;
  for (auto& a : report.applied) by_task[{a.benchmark, a.task}] = &a;
  ByTaskLookup rule_of(rules);
  ByTaskLookup application_of(by_task);
  score_responses(ws, run, rules, threads, /*with_endings=*/true, progress,
                  [&](const ResponseRow& row, const Score& score, const Ending& ending) {
                    const ScoringRule* r = *rule_of.find(row.benchmark, row.task);  // every row's task is in rules
                    writer.put({run.id, row.benchmark, row.task, row.response_id, row.item_id, row.sample_index},
                               r->name(), r->version(), score, ending);
                    RuleApplication* a = *application_of.find(row.benchmark, row.task);
                    ++a->responses;
                    a->correct += score.correct ? 1 : 0;
                  });
  writer.flush();
  tx.commit();
  return report;
}

ScoringReport score_run(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                        Progress* progress, const std::optional<std::string>& only_benchmark) {
  if (rule) rule_or_throw(*rule);  // fail before writing anything
  RuleMap rules;
  TaskRuleChoice choice(ws, run, rule);
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) {
    if (only_benchmark && b != *only_benchmark) continue;
    rules[{b, t}] = &rule_or_throw(choice.rule(b, t));
  }
  return score_tasks(ws, run, rules, threads, progress);
}

ScoringReport score_run_by_task(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule,
                                const std::vector<TaskRule>& overrides, unsigned threads, Progress* progress) {
  if (rule) rule_or_throw(*rule);
  RuleMap rules;
  TaskRuleChoice choice(ws, run, rule, overrides);
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) rules[{b, t}] = &rule_or_throw(choice.rule(b, t));
  return score_tasks(ws, run, rules, threads, progress);
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
