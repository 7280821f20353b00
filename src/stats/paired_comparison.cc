#include "stats/paired_comparison.h"

#include <algorithm>
#include <cmath>

#include "stats/mcnemar_test.h"
#include "stats/normal_distribution.h"
#include "stats/paired_proportion_difference.h"
#include "stats/paired_tests.h"
#include "stats/require_argument.h"
#include "stats/t_distribution.h"

namespace caploop {
namespace {

constexpr const char* kFunction = "compare_paired";

Interval clipped(double lower, double upper) { return Interval{std::max(-1.0, lower), std::min(1.0, upper)}; }

// McNemar's exact tests and the Agresti-Min interval for 0/1 values.
void compare_binary(PairedComparison& out, PairedLevel level, double margin) {
  PairedCounts counts;
  counts.baseline_only = out.lost;
  counts.candidate_only = out.gained;
  counts.both_wrong = out.n - out.lost - out.gained;
  out.p_value = mcnemar_exact_test(counts, Alternative::kTwoSided).p_value;
  out.p_greater = mcnemar_exact_test(counts, Alternative::kGreater).p_value;
  out.p_less = mcnemar_exact_test(counts, Alternative::kLess).p_value;
  const PairedProportionDifference d = agresti_min_paired_difference(out.lost, out.gained, out.n);
  out.standard_error = d.standard_error;
  const double z = normal_quantile(level.normal_upper);
  out.ci = clipped(d.estimate - z * d.standard_error, d.estimate + z * d.standard_error);
  out.p_noninferior = normal_sf((d.estimate + margin) / d.standard_error);
}

// The paired t test over per-item values, its standard error floored.
void compare_means(PairedComparison& out, std::span<const double> base, std::span<const double> cand, PairedLevel level,
                   double margin) {
  const double floor = 0.5 / (static_cast<double>(out.n) + 1.0);
  if (out.n < 2) {  // variance unestimable: ci [-1, 1], p-values 1
    out.standard_error = floor;
    out.ci = Interval{-1.0, 1.0};
    return;
  }
  const PairedTTestResult t = paired_t_test(base, cand, Alternative::kTwoSided, level.confidence, floor);
  out.p_value = t.p_value;
  out.p_greater = paired_t_test(base, cand, Alternative::kGreater, level.confidence, floor).p_value;
  out.p_less = paired_t_test(base, cand, Alternative::kLess, level.confidence, floor).p_value;
  out.standard_error = t.standard_error;
  out.ci = clipped(t.interval.lower, t.interval.upper);
  const double shifted = t.mean_difference + margin;
  if (t.standard_error > 0.0) {
    out.p_noninferior = student_t_sf(shifted / t.standard_error, t.degrees_of_freedom);
  } else {
    out.p_noninferior = shifted > 0.0 ? 0.0 : 1.0;
  }
}

}  // namespace

PairedComparison compare_paired(std::span<const double> base, std::span<const double> cand, bool binary,
                                PairedLevel level, double margin) {
  stats_detail::require_argument(base.size() == cand.size(), kFunction, "cand", "the same length as base");
  stats_detail::require_argument(
      level.confidence > 0.0 && level.confidence < 1.0 && level.normal_upper > 0.5 && level.normal_upper < 1.0,
      kFunction, "level", "0 < confidence < 1");
  stats_detail::require_argument(std::isfinite(margin) && margin >= 0.0, kFunction, "margin", "finite and >= 0");
  PairedComparison out;
  out.n = static_cast<int64_t>(base.size());
  out.test = binary ? "mcnemar_exact" : "paired_t";
  if (base.empty()) {
    out.ci = Interval{-1.0, 1.0};
    out.standard_error = 1.0;
    return out;
  }
  double base_sum = 0.0;
  double cand_sum = 0.0;
  for (size_t i = 0; i < base.size(); ++i) {
    const double a = base[i];
    const double c = cand[i];
    stats_detail::require_argument(std::isfinite(a) && std::isfinite(c), kFunction, "base", "finite values");
    if (binary) {
      stats_detail::require_argument((a == 0.0 || a == 1.0) && (c == 0.0 || c == 1.0), kFunction, "base",
                                     "values 0 or 1 when binary");
    }
    base_sum += a;
    cand_sum += c;
    if (c < a) ++out.lost;
    if (c > a) ++out.gained;
  }
  const double n = static_cast<double>(out.n);
  out.base_accuracy = base_sum / n;
  out.cand_accuracy = cand_sum / n;
  out.delta = out.cand_accuracy - out.base_accuracy;
  if (binary) {
    compare_binary(out, level, margin);
  } else {
    compare_means(out, base, cand, level, margin);
  }
  return out;
}

}  // namespace caploop
