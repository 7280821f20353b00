#include "diagnose/paired_difference.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "stats/mcnemar_test.h"
#include "stats/normal_distribution.h"
#include "stats/paired_proportion_difference.h"
#include "stats/paired_tests.h"

namespace caploop {

bool is_single_sample(std::span<const PairedItem> items) {
  return std::all_of(items.begin(), items.end(),
                     [](const PairedItem& i) { return i.base_samples == 1 && i.cand_samples == 1; });
}

double base_item_accuracy(const PairedItem& item) {
  return static_cast<double>(item.base_correct) / static_cast<double>(item.base_samples);
}

double cand_item_accuracy(const PairedItem& item) {
  return static_cast<double>(item.cand_correct) / static_cast<double>(item.cand_samples);
}

PairedDifference paired_difference(std::span<const PairedItem> items, std::span<const uint32_t> indices,
                                   bool binary, double confidence) {
  PairedDifference out;
  out.n = static_cast<int64_t>(indices.size());
  out.test = binary ? "mcnemar_exact" : "paired_t";
  if (indices.empty()) {
    out.ci = Interval{-1.0, 1.0};
    out.standard_error = 1.0;
    return out;
  }
  std::vector<double> base;
  std::vector<double> cand;
  base.reserve(indices.size());
  cand.reserve(indices.size());
  double base_sum = 0.0;
  double cand_sum = 0.0;
  for (uint32_t index : indices) {
    const PairedItem& item = items[index];
    const double a = base_item_accuracy(item);
    const double c = cand_item_accuracy(item);
    base.push_back(a);
    cand.push_back(c);
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
    PairedCounts counts;
    counts.baseline_only = out.lost;
    counts.candidate_only = out.gained;
    counts.both_correct = 0;
    counts.both_wrong = out.n - out.lost - out.gained;
    out.p_value = mcnemar_exact_test(counts, Alternative::kTwoSided).p_value;
    const PairedProportionDifference d = agresti_min_paired_difference(out.lost, out.gained, out.n);
    out.standard_error = d.standard_error;
    const double z = normal_quantile(0.5 + confidence / 2.0);
    out.ci = Interval{std::max(-1.0, d.estimate - z * d.standard_error),
                      std::min(1.0, d.estimate + z * d.standard_error)};
  } else {
    // Floored: identical changes on every item (few items, a derived run) must not read as certainty.
    const PairedTTestResult t = paired_t_test(base, cand, Alternative::kTwoSided, confidence, 0.5 / (n + 1.0));
    out.p_value = t.p_value;
    out.standard_error = t.standard_error;
    out.ci = Interval{std::max(-1.0, t.interval.lower), std::min(1.0, t.interval.upper)};
    if (out.n < 2) {
      out.standard_error = 0.5 / (n + 1.0);
      out.ci = Interval{-1.0, 1.0};
    }
  }
  return out;
}

}  // namespace caploop
