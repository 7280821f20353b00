// PairedComparison: the change in a mean score from a baseline to a candidate over one set of paired items,
// with its interval and tests — the one paired comparison that diagnosis (every slice, diagnose/
// paired_difference.h) and verification (every hypothesis, verify/paired_change.h) compute.
//
// Input: per item i the baseline's value a_i and the candidate's c_i (an accuracy correct / samples, or a
// pass@k estimate; stats/paired_outcome.h); means are over items and delta = mean(c_i) - mean(a_i). An item is
// lost when c_i < a_i and gained when c_i > a_i.
//   binary (every value 0 or 1: one sample per item in each run; test "mcnemar_exact"): McNemar's exact tests
//     on b = lost, c = gained (stats/mcnemar_test.h): p_value two-sided, p_greater = P(X >= c), p_less =
//     P(X <= c) for X ~ Binomial(b + c, 1/2). Interval of Agresti and Min (Biometrics 61, 2005;
//     stats/paired_proportion_difference.h): estimate (c - b)/(n + 2) -+ z se, z = Phi^-1(level.normal_upper),
//     se never 0; p_noninferior = 1 - Phi((estimate + margin) / se), so ci.lower > -margin exactly when
//     p_noninferior < alpha for a one-sided level alpha.
//   otherwise (test "paired_t"): items are the independent units (the samples of an item were averaged into
//     its value); the paired t test over items (stats/paired_tests.h) gives the p-values and the interval
//     dbar -+ t_{(1+confidence)/2, n-1} se, p_noninferior = P(T_{n-1} >= (dbar + margin) / se). The standard
//     error is floored at 0.5 / (n + 1), so a few items that all changed alike (sample variance 0) never read
//     as certainty. Fewer than two items leave the variance unestimable: ci [-1, 1], every p-value 1,
//     standard error 0.5 / (n + 1).
// The interval is clipped to [-1, 1]; its ends are also the one-sided (1 - alpha) bounds when
// confidence = 1 - 2 alpha. No items: n = 0, ci [-1, 1], standard error 1, every p-value 1.
// Contract: base and cand have equal length and finite values (0 or 1 when binary), 0 < confidence < 1,
// margin finite and >= 0, else caploop::Error (kInput). Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "stats/interval.h"

namespace caploop {

// The level of the interval, in the form its caller states it: a two-sided confidence (diagnosis) or a
// one-sided alpha per side (verification). The two forms are the same level; each keeps its own arithmetic
// (0.5 + confidence / 2 and 1 - alpha round differently in the last bit), so results stay digit for digit.
struct PairedLevel {
  double confidence = 0.95;     // two-sided level of the interval
  double normal_upper = 0.975;  // Phi^-1 is taken at this probability for the binary interval

  static PairedLevel two_sided(double confidence) { return {confidence, 0.5 + confidence / 2.0}; }
  static PairedLevel one_sided(double alpha) { return {1.0 - 2.0 * alpha, 1.0 - alpha}; }
};

struct PairedComparison {
  int64_t n = 0;
  double base_accuracy = 0.0;   // mean of a_i
  double cand_accuracy = 0.0;   // mean of c_i
  double delta = 0.0;           // cand_accuracy - base_accuracy
  Interval ci;                  // two-sided `confidence` interval for delta, clipped to [-1, 1]
  double standard_error = 0.0;  // > 0 once computed, usable as a heterogeneity weight
  double p_value = 1.0;         // two-sided, H0: delta = 0
  double p_greater = 1.0;       // H0: delta <= 0 (the candidate is not better)
  double p_less = 1.0;          // H0: delta >= 0 (the candidate is not worse)
  double p_noninferior = 1.0;   // H0: delta <= -margin
  int64_t lost = 0;             // McNemar b (items with c_i < a_i)
  int64_t gained = 0;           // McNemar c (items with c_i > a_i)
  std::string_view test;        // "mcnemar_exact" or "paired_t"
};

PairedComparison compare_paired(std::span<const double> base, std::span<const double> cand, bool binary,
                                PairedLevel level, double margin = 0.0);

}  // namespace caploop
