// Interval: a closed range [lower, upper] of real values, the result type of every confidence or credible
// interval in the statistics layer.
//
// Contract: a plain value; lower <= upper whenever both are finite. An interval about a proportion lies in
// [0, 1]; an unbounded side is +/- infinity. Thread safety: an immutable value once built.
#pragma once

namespace caploop {

struct Interval {
  double lower = 0.0;
  double upper = 0.0;

  double width() const { return upper - lower; }
  bool contains(double x) const { return lower <= x && x <= upper; }
};

}  // namespace caploop
