// Exact intervals for a paired change: intervals whose coverage rests on no normal or t approximation, the
// ones to read on small benchmarks (AIME: 30 problems) where the approximate bounds of verify/paired_change.h
// can be off. Both are two-sided intervals at confidence 1 - 2 alpha for the mean per-item change delta.
//
//   Single-sample items ("clopper_pearson_product"): with b items lost, c gained, m = b + c discordant of n,
//     delta = D (2 theta - 1) where D = P(discordant) and theta = P(gained | discordant). D gets the
//     Clopper-Pearson interval of m of n and theta that of c of m, each at confidence 1 - alpha; delta's
//     interval is the range of D (2 theta - 1) over the two (Bonferroni: coverage at least 1 - 2 alpha, for
//     every D and theta, whatever n). With m = 0, theta is unknown: [-D_upper, D_upper].
//   Several samples per item, or pass@k ("sign_flip_inversion"): the per-item changes d_i are taken as
//     symmetric about delta (the paired-randomisation model of Fisher 1935); the interval holds every
//     delta0 that a one-sided sign-flip test (stats/paired_tests.h) of d_i - delta0 does not reject at alpha,
//     found by bisection to 1e-4. The test enumerates all 2^n sign patterns up to 12 items and uses 4000
//     seeded random patterns above (Phipson-Smyth p-values, never 0), so the interval is exact up to 12 items
//     and a seeded Monte Carlo approximation of the exact one above.
// Fewer than two items: [-1, 1]. Intervals are clipped to [-1, 1].
// Contract: pure, deterministic functions (fixed seed); 0 < alpha < 0.5. Thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "stats/interval.h"

namespace caploop {

Interval exact_binary_change_interval(int64_t lost, int64_t gained, int64_t n, double alpha);
Interval sign_flip_change_interval(std::span<const double> differences, double alpha);

}  // namespace caploop
