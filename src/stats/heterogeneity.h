// Is a change spread evenly across slices, or concentrated in some? Cochran's Q test of heterogeneity of
// per-slice effects (e.g. per-slice accuracy deltas between two checkpoints) with their standard errors.
//
// With effects y_i, standard errors s_i, inverse-variance weights w_i = 1 / s_i^2 (k slices):
//   pooled = sum w_i y_i / sum w_i,  SE(pooled) = 1 / sqrt(sum w_i)
//   Q = sum w_i (y_i - pooled)^2  ~ chi-square with k - 1 degrees of freedom under homogeneity
//   I^2 = max(0, (Q - (k - 1)) / Q)  (share of the spread beyond chance; Higgins and Thompson, Statistics in
//         Medicine 21, 2002)
//   tau^2 = max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w))  (between-slice variance, DerSimonian and
//         Laird, Controlled Clinical Trials 7, 1986)
// (W. G. Cochran, Biometrics 10, 1954.) p-value = chi_square_sf(Q, k - 1); k = 1 gives Q = 0 and p = 1.
// Contract: at least one effect, finite estimates and finite standard errors > 0, else caploop::Error
// (kInput): callers must give a zero-variance slice a floor (e.g. a continuity-corrected variance).
// Thread-safe: a pure function.
#pragma once

#include <span>

namespace caploop {

struct SliceEffect {
  double estimate = 0.0;
  double standard_error = 0.0;
};

struct HeterogeneityResult {
  double pooled_estimate = 0.0;
  double pooled_standard_error = 0.0;
  double q = 0.0;
  double degrees_of_freedom = 0.0;
  double p_value = 1.0;
  double i_squared = 0.0;
  double tau_squared = 0.0;
};

HeterogeneityResult cochran_q_test(std::span<const SliceEffect> effects);

}  // namespace caploop
