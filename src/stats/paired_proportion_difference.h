// PairedProportionDifference: the difference of two paired proportions (candidate minus baseline) estimated
// from the discordant pairs of a 2x2 table, with the Agresti-Min adjustment (add 1/2 to each of the four cells;
// A. Agresti and Y. Min, Biometrics 61, 2005), whose Wald interval keeps close to its nominal coverage even with
// few discordant pairs.
//
// Contract: `lost` = pairs right in the baseline only (b), `gained` = right in the candidate only (c), `n` = all
// pairs (n >= b + c >= 0). The standard error is floored at 1/(2(n+2)) so that a table without discordant pairs
// still has a finite, positive error. Pure function.
#pragma once

#include <cstdint>

namespace caploop {

struct PairedProportionDifference {
  double estimate = 0.0;        // (c - b) / (n + 2) after the adjustment
  double standard_error = 0.0;  // of the estimate
};

PairedProportionDifference agresti_min_paired_difference(int64_t lost, int64_t gained, int64_t n);

}  // namespace caploop
