// McNemar's exact test for paired 0/1 outcomes: did accuracy change between a baseline and a candidate
// scored on the same items?
//
// Only discordant items carry information: b = items the baseline got right and the candidate wrong,
// c = items the candidate got right and the baseline wrong. Under no change, c | b + c ~ Binomial(b + c, 1/2)
// (Q. McNemar, Psychometrika 12, 1947; exact form: Agresti, Categorical Data Analysis, 3rd ed., sec. 11.1).
//   kGreater (candidate better): p = P(X >= c);  kLess (candidate worse): p = P(X <= c)
//   kTwoSided: p = min(1, 2 P(X <= min(b, c)))   (the binomial is symmetric, so this is also the
//              minimum-likelihood two-sided p-value; 1 when b = c)
// Mid-p (Lancaster, JASA 56, 1961; Fagerland, Lydersen and Laake, BMC Med. Res. Methodol. 13, 2013) counts
// the observed outcome's own probability half: one-sided P(X > c) + P(X = c)/2 (resp. below), two-sided
// min(1, 2 [P(X < m) + P(X = m)/2]) with m = min(b, c). It is less conservative, with size close to nominal.
// Contract: all counts >= 0, else caploop::Error (kInput). With no discordant pairs both p-values are 1.
// Thread-safe: a pure function.
#pragma once

#include <cstdint>

#include "stats/hypothesis_test.h"

namespace caploop {

// Counts of paired items by (baseline outcome, candidate outcome).
struct PairedCounts {
  int64_t both_correct = 0;
  int64_t baseline_only = 0;   // b: baseline right, candidate wrong (lost)
  int64_t candidate_only = 0;  // c: candidate right, baseline wrong (gained)
  int64_t both_wrong = 0;

  int64_t items() const { return both_correct + baseline_only + candidate_only + both_wrong; }
  int64_t discordant() const { return baseline_only + candidate_only; }
};

struct McNemarResult {
  double difference = 0.0;  // (c - b) / items: candidate accuracy minus baseline accuracy (0 when no items)
  double p_value = 1.0;
  double mid_p_value = 1.0;
};

McNemarResult mcnemar_exact_test(const PairedCounts& counts, Alternative alternative);

}  // namespace caploop
