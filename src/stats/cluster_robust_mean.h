// Standard error of a mean (a slice accuracy) when items are not independent but come in clusters (several
// samples of one problem, several questions on one passage, items from one source): the cluster-robust
// "sandwich" variance of the intercept-only regression.
//
// With N observations y_gi in G clusters, mean ybar = sum y / N and cluster residual totals
// e_g = sum_i (y_gi - ybar) = S_g - n_g ybar:
//   CR0: Var(ybar) = sum_g e_g^2 / N^2                      (Liang and Zeger, Biometrika 73, 1986)
//   CR1: Var(ybar) = G / (G - 1) * sum_g e_g^2 / N^2        (the small-sample factor G/(G-1) * (N-1)/(N-K)
//        with K = 1 regressor; Cameron and Miller, J. Human Resources 50, 2015, sec. IV.A)
// With one observation per cluster CR0 reduces to sum (y - ybar)^2 / N^2 (p(1-p)/N for 0/1 outcomes) and CR1
// to the textbook s^2 / N. The result also reports that independent-items standard error
// sqrt(sum (y - ybar)^2 / (N (N - 1))) and the design effect (SE_cluster / SE_iid)^2.
// Fewer than two clusters leave the between-cluster variance unestimable: standard_error is +infinity.
// Contract: counts >= 0 with at least one observation, sums consistent (0 <= sum_of_squares), outcomes
// and ids of equal length, else caploop::Error (kInput). The per-observation form groups ids by sorting,
// so the result does not depend on input order beyond floating-point rounding. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace caploop {

// Totals of one cluster; for 0/1 outcomes sum_of_squares == sum.
struct ClusterTotal {
  double sum = 0.0;
  double sum_of_squares = 0.0;
  int64_t count = 0;
};

enum class ClusterCorrection { kCR0, kCR1 };

struct ClusteredMean {
  double mean = 0.0;
  double standard_error = 0.0;      // cluster-robust
  double iid_standard_error = 0.0;  // as if all observations were independent
  double design_effect = 1.0;       // (standard_error / iid_standard_error)^2, 1 when both are 0
  int64_t clusters = 0;
  int64_t observations = 0;
};

ClusteredMean cluster_robust_mean(std::span<const ClusterTotal> clusters, ClusterCorrection correction);
ClusteredMean cluster_robust_mean(std::span<const double> outcomes, std::span<const int64_t> cluster_ids,
                                  ClusterCorrection correction);

}  // namespace caploop
