// Paired tests for per-item scores (pass@k estimates, partial credit) of a baseline and a candidate on the
// same items: the continuous-score companion of McNemar's test.
//
// Differences d_i = candidate_i - baseline_i, i = 1..n.
// Paired t test (Student, 1908): mean dbar, standard error s / sqrt(n) with s^2 = sum (d_i - dbar)^2 / (n - 1),
//   t = dbar / (s / sqrt n) on n - 1 degrees of freedom; kGreater tests candidate > baseline. The interval
//   is the two-sided dbar +- t_{(1+confidence)/2, n-1} s / sqrt(n) whatever the alternative.
//   n < 2 gives p = 1 and an unbounded interval; s = 0 gives p = 1 when dbar = 0, else p = 0.
// Sign-flip permutation test (Fisher, The Design of Experiments, 1935, sec. 21; Good, Permutation Tests,
//   2000): under no change each d_i is as likely to be -d_i, so S = sum d_i is compared with its 2^m
//   sign-flip copies, m = number of non-zero d_i. For m <= exact_limit all 2^m patterns are enumerated and
//   p = (patterns with S* at least as extreme) / 2^m; otherwise `resamples` random patterns from a seeded
//   Xoshiro256** give p = (1 + extreme) / (1 + resamples) (Phipson and Smyth, SAGMB 9, 2010), never 0.
//   "At least as extreme" allows a relative tolerance of 1e-9 of sum |d_i| for floating-point ties.
// Contract: the two spans have equal length and finite values, else caploop::Error (kInput).
// Thread-safe: pure functions (the random generator is local to the call and seeded by the options).
#pragma once

#include <cstdint>
#include <span>

#include "stats/hypothesis_test.h"
#include "stats/interval.h"

namespace caploop {

struct PairedTTestResult {
  int64_t n = 0;
  double mean_difference = 0.0;  // candidate minus baseline
  double standard_error = 0.0;
  double t = 0.0;
  double degrees_of_freedom = 0.0;
  double p_value = 1.0;
  Interval interval;  // two-sided confidence interval for the mean difference
};

// min_standard_error floors the standard error (n >= 2): when every pair differs by the same amount the sample
// variance is 0 and the test would claim certainty; with a floor, t, p-value and interval come from it.
PairedTTestResult paired_t_test(std::span<const double> baseline, std::span<const double> candidate,
                                Alternative alternative, double confidence = 0.95, double min_standard_error = 0.0);

struct SignFlipOptions {
  int exact_limit = 20;  // enumerate all patterns when at most this many differences are non-zero
  int64_t resamples = 20000;
  uint64_t seed = 20260101;
};

struct SignFlipResult {
  double mean_difference = 0.0;
  double p_value = 1.0;
  bool exact = true;     // all patterns enumerated
  int64_t patterns = 0;  // patterns compared (2^m, or resamples)
};

SignFlipResult sign_flip_test(std::span<const double> baseline, std::span<const double> candidate,
                              Alternative alternative, const SignFlipOptions& options = {});

}  // namespace caploop
