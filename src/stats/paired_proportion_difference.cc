#include "stats/paired_proportion_difference.h"

#include <algorithm>
#include <cmath>

namespace caploop {

PairedProportionDifference agresti_min_paired_difference(int64_t lost, int64_t gained, int64_t n) {
  const double b = static_cast<double>(lost) + 0.5;
  const double c = static_cast<double>(gained) + 0.5;
  const double m = static_cast<double>(n) + 2.0;
  PairedProportionDifference out;
  out.estimate = (c - b) / m;
  const double variance = ((b + c) - (c - b) * (c - b) / m) / (m * m);
  out.standard_error = std::sqrt(std::max(variance, 0.25 / (m * m)));
  return out;
}

}  // namespace caploop
