#include "workspace/run_summary.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "store/score_table.h"
#include "workspace/run_scoring.h"

namespace caploop {

std::vector<int64_t> reported_k_values(int64_t min_samples) {
  std::vector<int64_t> ks;
  for (int64_t k = 1; k <= min_samples; k *= 2) ks.push_back(k);
  if (min_samples >= 1 && ks.back() != min_samples) ks.push_back(min_samples);
  return ks;
}

namespace {

void count_ending(const ScoredSample& s, EndingBreakdown& e) {
  if (s.ending == ending_name(EndingKind::kStopped)) ++e.stopped;
  else if (s.ending == ending_name(EndingKind::kTruncated)) ++e.truncated;
  else if (s.ending == ending_name(EndingKind::kRanOn)) ++e.ran_on;
  else if (s.ending == ending_name(EndingKind::kDegenerateRepetition)) ++e.degenerate_repetition;
  else if (s.ending == ending_name(EndingKind::kNoAnswer)) ++e.no_answer;
  if (s.ran_on) ++e.ran_on_any;
  if (s.truncated) {
    if (s.evidence == evidence_name(EndingEvidence::kInferred)) ++e.truncated_inferred;
    else ++e.truncated_recorded;
  }
}

// Builds one row from a contiguous range of samples ordered by item then sample index.
TaskSummary summarize_range(const std::vector<ScoredSample>& samples, size_t begin, size_t end) {
  TaskSummary t;
  std::vector<ItemSamples> items;
  int64_t prev_item = -1;
  for (size_t i = begin; i < end; ++i) {
    const ScoredSample& s = samples[i];
    if (s.item_id != prev_item) {
      items.emplace_back();
      prev_item = s.item_id;
    }
    items.back().correct.push_back(s.correct);
    items.back().answers.push_back(s.found ? s.answer : std::string());
    count_ending(s, t.endings);
  }
  t.n_items = static_cast<int64_t>(items.size());
  t.n_samples = static_cast<int64_t>(end - begin);
  int64_t min_samples = 0;
  for (const auto& it : items) {
    int64_t n = static_cast<int64_t>(it.correct.size());
    min_samples = min_samples == 0 ? n : std::min(min_samples, n);
  }
  // accuracy: mean over items of the share of correct samples, SE over items
  double sum = 0, sumsq = 0;
  for (const auto& it : items) {
    double c = static_cast<double>(std::count(it.correct.begin(), it.correct.end(), true));
    double a = c / static_cast<double>(it.correct.size());
    sum += a;
    sumsq += a * a;
  }
  double n = static_cast<double>(items.size());
  if (n > 0) {
    t.accuracy = sum / n;
    if (n > 1) {
      double var = (sumsq - n * t.accuracy * t.accuracy) / (n - 1);
      t.accuracy_se = std::sqrt(std::max(0.0, var) / n);
    }
  }
  for (int64_t k : reported_k_values(min_samples)) {
    t.pass_at_k.emplace_back(k, aggregate_pass_at_k(items, k));
    if (min_samples > 1) t.maj_at_k.emplace_back(k, aggregate_maj_at_k(items, k));
  }
  return t;
}

}  // namespace

RunSummary summarize_run(WorkspaceDb& ws, const std::string& run_name, const std::optional<std::string>& rule,
                         unsigned threads, Progress* progress) {
  RunRow run = ws.run_or_throw(run_name);
  if (rule) rule_or_throw(*rule);
  RunSummary summary;
  summary.run = run_name;
  auto benchmarks = benchmarks_of_run(ws, run.id);
  ensure_scored(ws, run, rule, threads, progress);

  for (const auto& b : benchmarks) {
    const ScoringRule& r = rule_or_throw(rule_for_benchmark(rule, b));
    std::vector<ScoredSample> samples = read_scored_samples(ws, run.id, r.name(), b);
    auto label = [&](TaskSummary t, std::string task) {
      t.benchmark = b;
      t.task = std::move(task);
      t.rule = std::string(r.name());
      t.rule_version = r.version();
      return t;
    };
    size_t begin = 0;
    while (begin < samples.size()) {
      size_t end = begin;
      while (end < samples.size() && samples[end].task == samples[begin].task) ++end;
      summary.rows.push_back(label(summarize_range(samples, begin, end), samples[begin].task));
      begin = end;
    }
    // pooled row: samples are ordered by task then item, so items stay contiguous
    if (!samples.empty()) summary.rows.push_back(label(summarize_range(samples, 0, samples.size()), "*"));
  }
  return summary;
}

}  // namespace caploop
