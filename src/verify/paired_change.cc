#include "verify/paired_change.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "eval/pass_at_k.h"
#include "stats/paired_comparison.h"
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

}  // namespace

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
  for (const PairedOutcome& item : items) {
    const double a = pass_k > 1 ? pass_at_k(item.base_samples, item.base_correct, pass_k) : item.base_accuracy();
    const double c = pass_k > 1 ? pass_at_k(item.cand_samples, item.cand_correct, pass_k) : item.cand_accuracy();
    base.push_back(a);
    cand.push_back(c);
    differences.push_back(c - a);
    if (c < a) out.lost_items.push_back(item.key);
    if (c > a) out.gained_items.push_back(item.key);
  }
  const PairedComparison d = compare_paired(base, cand, binary, PairedLevel::one_sided(alpha), margin);
  out.base_accuracy = d.base_accuracy;
  out.cand_accuracy = d.cand_accuracy;
  out.delta = d.delta;
  out.bounds = d.ci;
  out.p_improvement = d.p_greater;
  out.p_regression = d.p_less;
  out.p_noninferior = d.p_noninferior;
  if (binary) {
    out.exact_bounds = exact_binary_change_interval(d.lost, d.gained, out.n, alpha);
  } else {
    out.exact_bounds = sign_flip_change_interval(differences, alpha);
  }
  return out;
}

}  // namespace caploop
