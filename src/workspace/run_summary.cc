#include "workspace/run_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <set>
#include <span>

#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "store/harness_metrics.h"
#include "store/response_evidence.h"
#include "store/score_table.h"
#include "workspace/by_task_lookup.h"
#include "workspace/run_scoring.h"

namespace caploop {

std::vector<int64_t> reported_k_values(int64_t min_samples) {
  std::vector<int64_t> ks;
  for (int64_t k = 1; k <= min_samples; k *= 2) ks.push_back(k);
  if (min_samples >= 1 && ks.back() != min_samples) ks.push_back(min_samples);
  return ks;
}

namespace {

void count_ending(const SampleScore& s, EndingBreakdown& e) {
  switch (s.ending) {
    case EndingKind::kStopped:
      ++e.stopped;
      break;
    case EndingKind::kTruncated:
      ++e.truncated;
      break;
    case EndingKind::kRanOn:
      ++e.ran_on;
      break;
    case EndingKind::kDegenerateRepetition:
      ++e.degenerate_repetition;
      break;
    case EndingKind::kNoAnswer:
      ++e.no_answer;
      break;
  }
  if (s.ran_on) ++e.ran_on_any;
  if (s.truncated) {
    if (s.evidence == EndingEvidence::kInferred)
      ++e.truncated_inferred;
    else
      ++e.truncated_recorded;
  }
}

// Builds one row from samples ordered by item then sample index, given as consecutive parts (a task's samples, or
// each task's of a benchmark in turn: an item never spans two parts), read in place.
TaskSummary summarize_samples(std::span<const std::vector<SampleScore>* const> parts) {
  TaskSummary t;
  // First the items' sample counts: majority voting (and so the answers) is only needed when every item has
  // several samples.
  size_t n_items = 0;
  int64_t min_samples = 0;
  {
    int64_t prev_item = -1, run = 0;
    auto close = [&] {
      if (run > 0) min_samples = min_samples == 0 ? run : std::min(min_samples, run);
    };
    for (const auto* part : parts) {
      for (const SampleScore& s : *part) {
        if (s.item_id != prev_item) {
          close();
          ++n_items;
          prev_item = s.item_id;
          run = 0;
        }
        ++run;
      }
    }
    close();
  }
  const bool with_answers = min_samples > 1;
  std::vector<ItemSamples> items;
  items.reserve(n_items);
  int64_t prev_item = -1;
  int64_t n_samples = 0;
  for (const auto* part : parts) {
    for (const SampleScore& s : *part) {
      if (s.item_id != prev_item) {
        items.emplace_back();
        prev_item = s.item_id;
      }
      items.back().correct.push_back(s.correct);
      if (with_answers) items.back().answers.push_back(s.answer);
      count_ending(s, t.endings);
      ++n_samples;
    }
  }
  t.n_items = static_cast<int64_t>(items.size());
  t.n_samples = n_samples;
  // accuracy: mean over items of the share of correct samples, SE over items
  double sum = 0, sumsq = 0;
  for (const auto& it : items) {
    double c = static_cast<double>(std::count(it.correct.begin(), it.correct.end(), true));
    double a = c / static_cast<double>(it.correct.size());
    sum += a;
    sumsq += a * a;
  }
  double n = static_cast<double>(items.size());
  int64_t first_correct = 0;
  for (const auto& it : items) first_correct += it.correct.front() ? 1 : 0;
  if (n > 0) {
    t.first_sample_accuracy = static_cast<double>(first_correct) / n;
    t.accuracy = sum / n;
    if (n > 1) {
      double var = (sumsq - n * t.accuracy * t.accuracy) / (n - 1);
      t.accuracy_se = std::sqrt(std::max(0.0, var) / n);
    }
  }
  for (int64_t k : reported_k_values(min_samples)) {
    t.pass_at_k.emplace_back(k, aggregate_pass_at_k(items, k));
    if (with_answers) t.maj_at_k.emplace_back(k, aggregate_maj_at_k(items, k));
  }
  return t;
}

}  // namespace

namespace {

// The harness metric to compare a task with: the one the rule reproduces when the harness logged it, else the
// first per-record metric logged, else the first aggregate reported.
std::string comparison_metric(const ScoringRule& rule, const std::vector<std::string>& logged,
                              const std::vector<const HarnessAggregate*>& aggregates) {
  std::string_view own = rule.harness_metric();
  if (!own.empty()) {
    if (std::find(logged.begin(), logged.end(), own) != logged.end()) return std::string(own);
    for (const HarnessAggregate* a : aggregates) {
      if (a->metric == own) return a->metric;
    }
  }
  if (!logged.empty()) return logged.front();
  if (!aggregates.empty()) return aggregates.front()->metric;
  return "";
}

std::string percent(double x) { return fmt::format("{:.1f}", 100 * x); }

void check_task(TaskSummary& t) {
  std::string where = fmt::format("{}/{} (rule {})", t.benchmark, t.task, t.rule);
  std::string fix = fmt::format(
      "compare rules with `caploop score --rule '{}/{}=RULE'` (--list-rules){}", t.benchmark, t.task,
      t.harness_metric.empty()
          ? ""
          : fmt::format(" or use the harness's own: --rule '{}/{}=harness:{}'", t.benchmark, t.task, t.harness_metric));
  if (t.rule.starts_with("harness:")) {
    t.warnings.push_back(
        fmt::format("{}: caploop has no rule for this task; scored by the harness's own per-record "
                    "metric {}",
                    where, t.harness_metric));
  } else if (t.rule == "exact" && t.harness_metric.empty()) {
    t.warnings.push_back(
        fmt::format("{}: caploop has no rule for this task and the harness logged no metric; "
                    "scored by exact match of the whole response; {}",
                    where, fix));
  }
  std::optional<double> harness = t.harness_accuracy ? t.harness_accuracy : t.harness_aggregate;
  if (harness && std::abs(*harness - t.first_sample_accuracy) > 0.01) {
    t.warnings.push_back(fmt::format("{}: caploop {}% vs the harness's {} {}% (gap {:.1f} points); {}", where,
                                     percent(t.first_sample_accuracy), t.harness_metric, percent(*harness),
                                     100 * std::abs(*harness - t.first_sample_accuracy), fix));
  }
  if (t.n_samples >= 10 && t.endings.no_answer >= 0.9 * static_cast<double>(t.n_samples)) {
    t.warnings.push_back(fmt::format("{}: {} of {} responses have no answer the rule can read; {}", where,
                                     t.endings.no_answer, t.n_samples, fix));
  } else if (t.n_items >= 10 && t.accuracy <= 0.02 && !(harness && *harness <= 0.02)) {
    t.warnings.push_back(fmt::format("{}: nearly all items scored 0 ({}%); {}", where, percent(t.accuracy), fix));
  }
}

}  // namespace

namespace {

// Every task's samples under the rule chosen for it: the stored scores where the run holds the rule's current
// version for the benchmark, the others scored now in memory (one pass over the texts for all of them).
std::map<BenchmarkTaskKey, std::vector<SampleScore>> samples_per_task(WorkspaceDb& ws, const RunRow& run,
                                                                      const std::vector<BenchmarkTaskKey>& tasks,
                                                                      const TaskRuleChoice& choice, unsigned threads,
                                                                      Progress* progress, KnownTaskSamples known) {
  // (rule, benchmark) -> the tasks scored with it
  std::map<std::pair<const ScoringRule*, std::string>, std::set<std::string>> groups;
  std::map<BenchmarkTaskKey, std::vector<SampleScore>> out;
  for (const auto& key : tasks) {
    if (auto it = known.find(key); it != known.end()) {
      out[key] = std::move(it->second);
      continue;
    }
    groups[{&rule_or_throw(choice.rule(key.first, key.second)), key.first}].insert(key.second);
  }
  TaskRules to_score;
  for (const auto& [key, group_tasks] : groups) {
    const auto& [rule, benchmark] = key;
    auto v = stored_rule_version(ws, run.id, rule->name(), benchmark);
    if (v && *v == rule->version()) {
      TaskSampleScores stored = read_sample_scores(ws, run.id, rule->name(), benchmark);
      for (const std::string& task : group_tasks) {
        auto it = stored.find(task);
        if (it != stored.end())
          out[{benchmark, task}] = std::move(it->second);
        else
          to_score[{benchmark, task}] = rule;  // a task the stored scores do not cover
      }
    } else {
      for (const std::string& task : group_tasks) to_score[{benchmark, task}] = rule;
    }
  }
  if (!to_score.empty()) {
    ByTaskLookup samples_of(out);
    score_responses(ws, run, to_score, threads, /*with_endings=*/true, progress,
                    [&](const ResponseRow& row, const Score& score, const Ending& ending) {
                      samples_of.insert_or_get(row.benchmark, row.task)
                          .emplace_back(row.response_id, row.item_id, row.sample_index, score, ending);
                    });
    for (const auto& [key, rule] : to_score) {
      if (auto it = out.find(key); it != out.end()) order_by_item(it->second);
    }
  }
  return out;
}

}  // namespace

namespace {

RunSummary summarize(WorkspaceDb& ws, const std::string& run_name, const std::optional<std::string>& rule,
                     unsigned threads, Progress* progress, KnownTaskSamples known,
                     const FirstSampleMetricLog* first_metrics) {
  RunRow run = ws.run_or_throw(run_name);
  if (rule) rule_or_throw(*rule);
  RunSummary summary;
  summary.run = run_name;

  auto logged = harness_metric_names_per_task(ws, run.id);
  std::vector<HarnessAggregate> aggregates = read_harness_aggregates(ws, run.id);
  std::vector<BenchmarkTaskKey> tasks = tasks_of_run(ws, run.id);
  TaskRuleChoice choice(ws, run, rule);
  // The harness metric each task is compared with, and those metrics' values of every first sample: read on a
  // second connection (read-only: the same committed state) while this one reads and scores the samples. Inside a
  // transaction (rows it wrote are visible to this connection only) or on an in-memory database: here, after.
  std::map<BenchmarkTaskKey, std::string> compared;
  std::vector<std::string> compared_metrics;
  for (const auto& key : tasks) {
    std::vector<const HarnessAggregate*> task_aggregates;
    for (const HarnessAggregate& a : aggregates) {
      if (a.benchmark == key.first && a.task == key.second) task_aggregates.push_back(&a);
    }
    auto names = logged.find(key);
    std::string metric =
        comparison_metric(rule_or_throw(choice.rule(key.first, key.second)),
                          names != logged.end() ? names->second : std::vector<std::string>{}, task_aggregates);
    if (!metric.empty() &&
        std::find(compared_metrics.begin(), compared_metrics.end(), metric) == compared_metrics.end()) {
      compared_metrics.push_back(metric);
    }
    compared[key] = std::move(metric);
  }
  const bool beside = first_metrics == nullptr && ws.another_connection_sees_the_same();
  std::future<ChosenMetricValues> metric_values;
  if (beside) {
    metric_values = std::async(std::launch::async, [&] {
      WorkspaceDb reader(ws.path(), WorkspaceAccess::kRead);
      return read_chosen_harness_metrics(reader, run.id, compared_metrics, 0);
    });
  }
  std::map<BenchmarkTaskKey, std::vector<SampleScore>> per_task;
  try {
    per_task = samples_per_task(ws, run, tasks, choice, threads, progress, std::move(known));
  } catch (...) {
    if (beside) metric_values.wait();
    throw;
  }
  ChosenMetricValues metrics = first_metrics != nullptr ? choose_metric_values(*first_metrics, compared_metrics)
                               : beside                 ? metric_values.get()
                                                        : read_chosen_harness_metrics(ws, run.id, compared_metrics, 0);

  for (size_t i = 0; i < tasks.size();) {
    const std::string benchmark = tasks[i].first;
    std::vector<const std::vector<SampleScore>*> pooled;  // the benchmark's tasks' samples, in task order
    std::string pooled_rule;
    int pooled_version = 0;
    for (; i < tasks.size() && tasks[i].first == benchmark; ++i) {
      const std::string& task = tasks[i].second;
      const ScoringRule& r = rule_or_throw(choice.rule(benchmark, task));
      auto found = per_task.find(tasks[i]);
      if (found == per_task.end() || found->second.empty()) continue;
      const std::vector<SampleScore>& samples = found->second;
      const std::vector<SampleScore>* part = &samples;
      TaskSummary t = summarize_samples({&part, 1});
      t.benchmark = benchmark;
      t.task = task;
      t.rule = std::string(r.name());
      t.rule_version = r.version();
      // first samples, and the harness's per-record value of each item's first response
      std::vector<const HarnessAggregate*> task_aggregates;
      for (const HarnessAggregate& a : aggregates) {
        if (a.benchmark == benchmark && a.task == task) task_aggregates.push_back(&a);
      }
      t.harness_metric = compared.at(tasks[i]);
      auto metric_index = std::find(compared_metrics.begin(), compared_metrics.end(), t.harness_metric);
      int64_t harness_sum_n = 0, agree = 0;
      double harness_sum = 0;
      for (const SampleScore& s : samples) {
        if (s.sample_index != 0 || t.harness_metric.empty()) continue;
        auto m = metrics.find(s.response_id);
        if (m == metrics.end()) continue;
        for (const auto& [index, value] : m->second) {
          if (index != static_cast<size_t>(metric_index - compared_metrics.begin()) || std::isnan(value)) continue;
          ++harness_sum_n;
          harness_sum += value;
          agree += ((value >= 0.5) == s.correct) ? 1 : 0;
          break;
        }
      }
      t.accuracy_basis = t.n_samples > t.n_items ? "mean_over_samples" : "single_sample";
      if (harness_sum_n > 0) {
        t.harness_accuracy = harness_sum / static_cast<double>(harness_sum_n);
        t.agreement = static_cast<double>(agree) / static_cast<double>(harness_sum_n);
        t.agreement_items = harness_sum_n;
      }
      for (const HarnessAggregate* a : task_aggregates) {
        if (a->metric == t.harness_metric && !std::isnan(a->value)) t.harness_aggregate = a->value;
      }
      check_task(t);
      summary.rows.push_back(std::move(t));
      if (pooled.empty()) {
        pooled_rule = std::string(r.name());
        pooled_version = r.version();
      } else if (pooled_rule != r.name()) {
        pooled_rule = "(per task)";
        pooled_version = 0;
      }
      pooled.push_back(&samples);
    }
    if (!pooled.empty()) {
      TaskSummary t = summarize_samples(pooled);
      t.benchmark = benchmark;
      t.task = "*";
      t.rule = pooled_rule;
      t.rule_version = pooled_version;
      t.accuracy_basis = t.n_samples > t.n_items ? "mean_over_samples" : "single_sample";
      summary.rows.push_back(std::move(t));
    }
  }
  return summary;
}

}  // namespace

RunSummary summarize_run(WorkspaceDb& ws, const std::string& run_name, const std::optional<std::string>& rule,
                         unsigned threads, Progress* progress) {
  return summarize(ws, run_name, rule, threads, progress, {}, nullptr);
}

RunSummary summarize_run_with(WorkspaceDb& ws, const std::string& run_name, KnownTaskSamples known, unsigned threads,
                              Progress* progress, const FirstSampleMetricLog* first_metrics) {
  return summarize(ws, run_name, std::nullopt, threads, progress, std::move(known), first_metrics);
}

}  // namespace caploop
