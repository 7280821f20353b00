// Adjusted p-values for many simultaneous tests (every slice tested in weak-slice mining, every per-slice
// delta in a checkpoint comparison). Reject hypothesis i at level q when adjusted[i] <= q.
//
// With p-values sorted ascending p_(1) <= ... <= p_(m):
//   Benjamini-Hochberg (JRSS B 57, 1995), false discovery rate under independence or positive dependence:
//     q_(i) = min_{j >= i} min(1, m p_(j) / j)
//   Benjamini-Yekutieli (Annals of Statistics 29, 2001), false discovery rate under any dependence:
//     q_(i) = min_{j >= i} min(1, c(m) m p_(j) / j),  c(m) = sum_{l=1}^m 1/l
//   Holm (Scandinavian J. Statistics 6, 1979), family-wise error rate:
//     adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))
// The running minimum / maximum makes the adjusted values monotone in the raw p-values. Ties are ordered
// by input position (stable sort), so results are deterministic. Results come back in input order.
// Contract: every p-value in [0, 1], else caploop::Error (kInput); an empty input gives an empty output.
// Thread-safe: pure functions.
#pragma once

#include <span>
#include <vector>

namespace caploop {

// Which false-discovery procedure a caller applies (slices and diagnosis share it).
enum class FdrMethod { kBenjaminiHochberg, kBenjaminiYekutieli };

std::vector<double> benjamini_hochberg(std::span<const double> p_values);
std::vector<double> benjamini_yekutieli(std::span<const double> p_values);
std::vector<double> holm(std::span<const double> p_values);

}  // namespace caploop
