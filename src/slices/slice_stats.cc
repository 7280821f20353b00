#include "slices/slice_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "stats/beta_binomial.h"
#include "stats/cluster_robust_mean.h"
#include "stats/normal_distribution.h"
#include "stats/proportion_interval.h"
#include "taxonomy/eval_taxonomy.h"

namespace caploop {

void validate_outcomes(std::span<const ItemOutcome> outcomes, size_t item_count) {
  if (outcomes.size() != item_count) {
    throw Error(
        ErrorKind::kInput,
        "outcomes has " + std::to_string(outcomes.size()) + " entries for " + std::to_string(item_count) + " items",
        SourceLocation{"", 0, "outcomes"});
  }
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const ItemOutcome& o = outcomes[i];
    if (o.samples < 0 || o.correct < 0 || o.correct > o.samples) {
      throw Error(ErrorKind::kInput,
                  "item " + std::to_string(i) + " has " + std::to_string(o.correct) + " correct of " +
                      std::to_string(o.samples) + " samples",
                  SourceLocation{"", 0, "outcomes[" + std::to_string(i) + "]"});
    }
  }
}

std::vector<uint32_t> cluster_ids_by_task(std::span<const ItemTags> items) {
  std::unordered_map<std::string, uint32_t> ids;  // lookup only; ids follow first appearance
  std::vector<uint32_t> out;
  out.reserve(items.size());
  for (const ItemTags& item : items) {
    auto b = item.dims.find("benchmark");
    auto t = item.dims.find("task");
    std::string name =
        (b != item.dims.end() ? b->second : std::string()) + "/" + (t != item.dims.end() ? t->second : std::string());
    auto [it, inserted] = ids.try_emplace(std::move(name), static_cast<uint32_t>(ids.size()));
    out.push_back(it->second);
  }
  return out;
}

namespace {

struct Totals {
  int64_t items = 0;
  int64_t samples = 0;
  int64_t correct_samples = 0;
  double score_sum = 0.0;
  double score_sum_squares = 0.0;
  bool single_sample = true;
};

Totals totals_of(std::span<const uint32_t> items, std::span<const ItemOutcome> outcomes) {
  Totals t;
  for (uint32_t i : items) {
    const ItemOutcome& o = outcomes[i];
    if (o.samples == 0) continue;
    const double score = static_cast<double>(o.correct) / static_cast<double>(o.samples);
    ++t.items;
    t.samples += o.samples;
    t.correct_samples += o.correct;
    t.score_sum += score;
    t.score_sum_squares += score * score;
    t.single_sample = t.single_sample && o.samples == 1;
  }
  return t;
}

Interval raw_interval(const Totals& t, const SliceStatsOptions& options) {
  if (t.items == 0) return Interval{0.0, 1.0};
  if (t.single_sample) {
    return options.interval == IntervalMethod::kWilson
               ? wilson_interval(t.correct_samples, t.items, options.confidence)
               : clopper_pearson_interval(t.correct_samples, t.items, options.confidence);
  }
  const double n = static_cast<double>(t.items);
  const double mean = t.score_sum / n;
  const double variance = t.items > 1 ? std::max(0.0, (t.score_sum_squares - n * mean * mean) / (n - 1)) : 0.25;
  const double z = normal_quantile(1.0 - (1.0 - options.confidence) / 2.0);
  const double half = z * std::sqrt(variance / n);
  return Interval{std::max(0.0, mean - half), std::min(1.0, mean + half)};
}

// Clustered SE of the mean item score; clusters in ascending id order so rounding does not depend on input.
void add_clustered_se(std::span<const uint32_t> items, std::span<const ItemOutcome> outcomes,
                      std::span<const uint32_t> cluster_of_item, SliceRunStats& s) {
  std::map<uint32_t, ClusterTotal> by_cluster;
  for (uint32_t i : items) {
    const ItemOutcome& o = outcomes[i];
    if (o.samples == 0) continue;
    const double score = static_cast<double>(o.correct) / static_cast<double>(o.samples);
    ClusterTotal& c = by_cluster[cluster_of_item.empty() ? i : cluster_of_item[i]];
    c.sum += score;
    c.sum_of_squares += score * score;
    ++c.count;
  }
  s.clusters = static_cast<int64_t>(by_cluster.size());
  if (by_cluster.empty()) {
    s.clustered_se = std::numeric_limits<double>::infinity();
    return;
  }
  std::vector<ClusterTotal> totals;
  totals.reserve(by_cluster.size());
  for (const auto& [id, c] : by_cluster) totals.push_back(c);
  s.clustered_se = cluster_robust_mean(totals, ClusterCorrection::kCR1).standard_error;
}

SuccessCount item_level_count(const SliceRunStats& s) {
  const int64_t successes = std::clamp<int64_t>(std::llround(s.accuracy * static_cast<double>(s.items)), 0, s.items);
  return SuccessCount{successes, s.items};
}

}  // namespace

SliceRunStats item_set_stats(std::span<const uint32_t> items, std::span<const ItemOutcome> outcomes,
                             std::span<const uint32_t> cluster_of_item, const SliceStatsOptions& options) {
  const Totals t = totals_of(items, outcomes);
  SliceRunStats s;
  s.items = t.items;
  s.samples = t.samples;
  s.correct_samples = t.correct_samples;
  s.accuracy = t.items > 0 ? t.score_sum / static_cast<double>(t.items) : 0.0;
  s.ci = raw_interval(t, options);
  s.shrunken_accuracy = s.accuracy;
  s.shrunken_ci = s.ci;
  add_clustered_se(items, outcomes, cluster_of_item, s);
  return s;
}

std::vector<SliceRunStats> compute_slice_stats(std::span<const Slice> slices, std::span<const ItemOutcome> outcomes,
                                               std::span<const uint32_t> cluster_of_item,
                                               const SliceStatsOptions& options) {
  if (!cluster_of_item.empty() && cluster_of_item.size() != outcomes.size()) {
    throw Error(ErrorKind::kInput, "cluster ids and outcomes differ in length", SourceLocation{"", 0, "clusters"});
  }
  std::vector<SliceRunStats> out;
  out.reserve(slices.size());
  for (const Slice& slice : slices) {
    for (uint32_t i : slice.items) {
      if (i >= outcomes.size()) {
        throw Error(ErrorKind::kInput,
                    "slice " + slice.key.to_string() + " names item " + std::to_string(i) + " beyond the " +
                        std::to_string(outcomes.size()) + " outcomes",
                    SourceLocation{"", 0, "outcomes"});
      }
    }
    out.push_back(item_set_stats(slice.items, outcomes, cluster_of_item, options));
  }
  // Shrinkage: one prior per order, fitted over that order's slices with items.
  std::map<size_t, std::vector<size_t>> by_order;
  for (size_t s = 0; s < slices.size(); ++s) {
    if (out[s].items > 0) by_order[slices[s].key.order()].push_back(s);
  }
  for (const auto& [order, members] : by_order) {
    std::vector<SuccessCount> counts;
    counts.reserve(members.size());
    for (size_t s : members) counts.push_back(item_level_count(out[s]));
    const BetaPrior prior = fit_beta_prior_moments(counts);
    for (size_t k = 0; k < members.size(); ++k) {
      SliceRunStats& s = out[members[k]];
      s.shrunken_accuracy = posterior_mean(counts[k], prior);
      s.shrunken_ci = posterior_interval(counts[k], prior, options.confidence);
    }
  }
  return out;
}

std::vector<RolledUpValue> roll_up_small_values(std::span<const ValueSupport> supports, int64_t min_support) {
  std::map<SliceCondition, int64_t> support_of;
  for (const ValueSupport& v : supports) support_of[v.condition] = v.items;
  std::vector<RolledUpValue> out;
  for (const auto& [condition, items] : support_of) {
    if (items >= min_support) continue;
    RolledUpValue r{condition, items, ""};
    if (axis_from_name(condition.key)) {
      std::vector<std::string> ancestors = EvalTaxonomy::ancestors_of(condition.value);
      for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
        auto found = support_of.find(SliceCondition{condition.key, *it});
        if (found != support_of.end() && found->second >= min_support) {
          r.rolled_into = *it;
          break;
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace caploop
