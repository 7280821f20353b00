// RunSummary: per benchmark and task of one run, under one scoring rule per benchmark: items, samples,
// accuracy with its standard error, pass@k / maj@k for the sample counts the run has, and how generations ended.
//
// Contract: summarize_run() never writes. It reads stored scores; where the run has no stored scores for the rule
// in use (or they come from an older rule version, or do not cover a task), it scores those tasks in memory
// (workspace/run_scoring.h),
// so a summary always reflects the current rule. Accuracy is the mean over items of each item's share of
// correct samples (with one sample per item: the share of correct items); its standard error is over items.
// Rows are sorted by benchmark, then task; each benchmark also gets a row with task "*" pooling its items.
// Each task is scored by its own rule (workspace/run_scoring.h: the default per task, or `rule` for all). Beside
// caploop's accuracy each task row carries the harness's own number when the harness logged one (any harness:
// read from the stored per-record metrics and aggregates), the item-level agreement, and warnings: a gap over
// one point, nearly all answers missing, nearly all scored 0, or a task scored by the harness's metric because
// caploop has no rule for it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "eval/pass_at_k.h"
#include "store/harness_metrics.h"
#include "store/score_table.h"
#include "store/workspace_db.h"

namespace caploop {

struct EndingBreakdown {
  int64_t stopped = 0;
  int64_t truncated = 0;
  int64_t ran_on = 0;
  int64_t degenerate_repetition = 0;
  int64_t no_answer = 0;
  int64_t ran_on_any = 0;          // ran on, whatever the category (also truncated ones that ran on)
  int64_t truncated_recorded = 0;  // truncations established from a finish reason or token count
  int64_t truncated_inferred = 0;  // truncations inferred from the text
};

struct TaskSummary {
  std::string benchmark;
  std::string task;  // "*" for the benchmark's pooled row
  std::string rule;
  int rule_version = 0;
  int64_t n_items = 0;
  int64_t n_samples = 0;
  double accuracy = 0;                                        // 0..1
  double accuracy_se = 0;                                     // over items
  std::vector<std::pair<int64_t, MetricEstimate>> pass_at_k;  // k ascending
  std::vector<std::pair<int64_t, MetricEstimate>> maj_at_k;   // k ascending, only when samples > 1
  EndingBreakdown endings;

  // What `accuracy` is: "single_sample" (one per item) or "mean_over_samples" (per item, the share of correct
  // samples); first_sample_accuracy is the first sample's (lm-eval's choice for repeats).
  std::string accuracy_basis = "single_sample";
  double first_sample_accuracy = 0;
  // The harness's own number, when it logged one for this task.
  std::string harness_metric;               // e.g. "exact_match,flexible-extract"; "" when none
  std::optional<double> harness_accuracy;   // mean of its per-record metric over items (first sample)
  std::optional<double> harness_aggregate;  // the value the harness reported for the task
  std::optional<double> agreement;          // share of items where caploop's first sample and the harness agree
  int64_t agreement_items = 0;              // items with a per-record harness value
  std::vector<std::string> warnings;        // loud: gap, all missing, all zero, fallback rule
};

struct RunSummary {
  std::string run;
  std::vector<TaskSummary> rows;
};

RunSummary summarize_run(WorkspaceDb& ws, const std::string& run_name, const std::optional<std::string>& rule,
                         unsigned threads, Progress* progress);

// The samples of some tasks already in memory (scored by ingest under their default rules), each task's ordered by
// item id then sample index.
using KnownTaskSamples = std::map<std::pair<std::string, std::string>, std::vector<SampleScore>>;
// summarize_run() under the default rules, taking the samples of the tasks in `known` from there (moved out)
// instead of reading them back, and, when given, the first samples' harness metric values from `first_metrics`
// (every one the run logged: store/harness_metrics.h) instead of the workspace.
RunSummary summarize_run_with(WorkspaceDb& ws, const std::string& run_name, KnownTaskSamples known, unsigned threads,
                              Progress* progress, const FirstSampleMetricLog* first_metrics = nullptr);

// The k values reported for items with at least `min_samples` samples: 1, 2, 4, ... and min_samples itself.
std::vector<int64_t> reported_k_values(int64_t min_samples);

}  // namespace caploop
