// Power planning for a paired comparison of accuracies (McNemar's setting): the smallest accuracy change a
// comparison of n paired items can detect, and the number of items needed to detect a given change.
//
// With discordance rate psi = P(outcomes differ) = p10 + p01 and effect delta = p01 - p10 (candidate minus
// baseline accuracy, |delta| <= psi), the normal approximation to McNemar's test (Connor, Biometrics 43,
// 1987; Lachin, Biostatistics, 2nd ed., sec. 5.8) needs
//   n = [ z_a sqrt(psi) + z_b sqrt(psi - delta^2) ]^2 / delta^2
// items, z_a = Phi^-1(1 - alpha/2) (two-sided) or Phi^-1(1 - alpha) (one-sided), z_b = Phi^-1(power).
// The minimum detectable effect for n items is the smallest delta in (0, psi] with
//   delta sqrt(n) >= z_a sqrt(psi) + z_b sqrt(psi - delta^2),
// found by bisection (the left side minus the right side increases with delta for power >= 1/2).
// Contract: 0 < alpha < 1, 0.5 <= power < 1, 0 <= psi <= 1, n >= 1, 0 < |delta| <= psi, else
// caploop::Error (kInput). When not even delta = psi is detectable (or psi = 0) the minimum detectable
// effect is +infinity. Thread-safe: pure functions.
#pragma once

#include <cstdint>

namespace caploop {

struct PowerTarget {
  double alpha = 0.05;
  double power = 0.8;
  bool two_sided = true;
};

double paired_proportion_minimum_detectable_effect(int64_t n, double discordance_rate, const PowerTarget& target);
int64_t paired_proportion_sample_size(double effect, double discordance_rate, const PowerTarget& target);

}  // namespace caploop
