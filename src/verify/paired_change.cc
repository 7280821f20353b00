#include "verify/paired_change.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "eval/pass_at_k.h"
#include "stats/mcnemar_test.h"
#include "stats/normal_distribution.h"
#include "stats/paired_proportion_difference.h"
#include "stats/paired_tests.h"
#include "stats/t_distribution.h"
#include "verify/exact_change_interval.h"

namespace caploop {
namespace {

void check_arguments(std::span<const PairedOutcome> items, double alpha, double margin) {
  if (!(alpha > 0.0 && alpha < 0.5)) {
    throw Error(ErrorKind::kInput, fmt::format("alpha must be in (0, 0.5), got {}", alpha), {"", 0, "alpha"});
  }
  if (!(margin >= 0.0) || !std::isfinite(margin)) {
    throw Error(ErrorKind::kInput, fmt::format("margin must be a finite value >= 0, got {}", margin),
                {"", 0, "margin"});
  }
  for (const PairedOutcome& item : items) {
    const bool ok = item.base_samples > 0 && item.cand_samples > 0 && item.base_correct >= 0 &&
                    item.cand_correct >= 0 && item.base_correct <= item.base_samples &&
                    item.cand_correct <= item.cand_samples;
    if (!ok) {
      throw Error(ErrorKind::kInput,
                  fmt::format("item '{}' has inconsistent counts: baseline {}/{} correct, candidate {}/{} correct",
                              item.key, item.base_correct, item.base_samples, item.cand_correct, item.cand_samples),
                  {"", 0, item.key});
    }
  }
}

Interval clipped(double lower, double upper) { return Interval{std::max(-1.0, lower), std::min(1.0, upper)}; }

// McNemar's exact tests and the Agresti-Min bounds for 0/1 outcomes.
void measure_binary(PairedChange& out, double alpha, double margin) {
  PairedCounts counts;
  counts.baseline_only = static_cast<int64_t>(out.lost_items.size());
  counts.candidate_only = static_cast<int64_t>(out.gained_items.size());
  counts.both_wrong = out.n - counts.baseline_only - counts.candidate_only;
  out.p_improvement = mcnemar_exact_test(counts, Alternative::kGreater).p_value;
  out.p_regression = mcnemar_exact_test(counts, Alternative::kLess).p_value;
  const PairedProportionDifference d =
      agresti_min_paired_difference(counts.baseline_only, counts.candidate_only, out.n);
  const double z = normal_quantile(1.0 - alpha);
  out.bounds = clipped(d.estimate - z * d.standard_error, d.estimate + z * d.standard_error);
  out.p_noninferior = normal_sf((d.estimate + margin) / d.standard_error);
}

// Paired t test over per-item accuracies.
void measure_means(PairedChange& out, std::span<const double> base, std::span<const double> cand, double alpha,
                   double margin) {
  if (out.n < 2) return;  // bounds [-1, 1], p-values 1
  // Floored standard error: identical changes on every item (few items) must not read as certainty.
  const double floor = 0.5 / (static_cast<double>(out.n) + 1.0);
  const PairedTTestResult up = paired_t_test(base, cand, Alternative::kGreater, 1.0 - 2.0 * alpha, floor);
  const PairedTTestResult down = paired_t_test(base, cand, Alternative::kLess, 1.0 - 2.0 * alpha, floor);
  out.p_improvement = up.p_value;
  out.p_regression = down.p_value;
  out.bounds = clipped(up.interval.lower, up.interval.upper);
  const double shifted = up.mean_difference + margin;
  if (up.standard_error > 0.0) {
    out.p_noninferior = student_t_sf(shifted / up.standard_error, up.degrees_of_freedom);
  } else {
    out.p_noninferior = shifted > 0.0 ? 0.0 : 1.0;
  }
}

}  // namespace

bool all_single_sample(std::span<const PairedOutcome> items) {
  return std::all_of(items.begin(), items.end(),
                     [](const PairedOutcome& i) { return i.base_samples == 1 && i.cand_samples == 1; });
}

PairedChange measure_paired_change(std::span<const PairedOutcome> all_items, double alpha, double margin,
                                   int64_t pass_k) {
  check_arguments(all_items, alpha, margin);
  if (pass_k < 0) throw Error(ErrorKind::kInput, fmt::format("pass@k needs k >= 1, got {}", pass_k), {"", 0, "metric"});
  PairedChange out;
  std::vector<PairedOutcome> kept;
  if (pass_k > 0) {
    out.metric = fmt::format("pass@{}", pass_k);
    for (const PairedOutcome& item : all_items) {
      if (item.base_samples < pass_k || item.cand_samples < pass_k) {
        ++out.short_items;
      } else {
        kept.push_back(item);
      }
    }
  }
  const std::span<const PairedOutcome> items = pass_k > 0 ? std::span<const PairedOutcome>(kept) : all_items;
  out.n = static_cast<int64_t>(items.size());
  const bool binary = all_single_sample(items) && pass_k <= 1;
  out.test = binary ? "mcnemar_exact" : "paired_t";
  out.exact_method = binary ? "clopper_pearson_product" : "sign_flip_inversion";
  if (items.empty()) return out;
  std::vector<double> base;
  std::vector<double> cand;
  std::vector<double> differences;
  base.reserve(items.size());
  cand.reserve(items.size());
  double base_sum = 0.0;
  double cand_sum = 0.0;
  for (const PairedOutcome& item : items) {
    const double a = pass_k > 1 ? pass_at_k(item.base_samples, item.base_correct, pass_k) : item.base_accuracy();
    const double c = pass_k > 1 ? pass_at_k(item.cand_samples, item.cand_correct, pass_k) : item.cand_accuracy();
    base.push_back(a);
    cand.push_back(c);
    differences.push_back(c - a);
    base_sum += a;
    cand_sum += c;
    if (c < a) out.lost_items.push_back(item.key);
    if (c > a) out.gained_items.push_back(item.key);
  }
  const double n = static_cast<double>(out.n);
  out.base_accuracy = base_sum / n;
  out.cand_accuracy = cand_sum / n;
  out.delta = out.cand_accuracy - out.base_accuracy;
  if (binary) {
    measure_binary(out, alpha, margin);
    out.exact_bounds = exact_binary_change_interval(static_cast<int64_t>(out.lost_items.size()),
                                                    static_cast<int64_t>(out.gained_items.size()), out.n, alpha);
  } else {
    measure_means(out, base, cand, alpha, margin);
    out.exact_bounds = sign_flip_change_interval(differences, alpha);
  }
  return out;
}

}  // namespace caploop
