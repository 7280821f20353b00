// Scores are written by append_score_text instead of fmt's "{:.6g}"; every byte of the attribute files depends
// on the two agreeing, so they are compared on tens of millions of values: densities as the rules compute them
// (matches x weight x 1000 / words), uniformly spread mantissas at every decimal exponent from 1e-6 to 1e8,
// values next to every power of ten and next to the six-digit rounding boundaries (ties included), and the
// special values.
#include "corpus/score_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace caploop::corpus {
namespace {

void expect_as_fmt(double v) {
  std::string got;
  append_score_text(got, v);
  ASSERT_EQ(got, fmt::format("{:.6g}", v)) << fmt::format("{:.17g}", v);
}

TEST(ScoreText, RuleDensitiesAsFmtWritesThem) {
  const double weights[] = {1.0, 1.2, 1.5, 0.424, 0.011, 0.176, 2.5};
  for (double weight : weights)
    for (uint32_t words = 1; words <= 4000; words += (words < 200 ? 1 : 7))
      for (uint32_t matches = 1; matches <= 60; ++matches) expect_as_fmt(1000.0 * matches * weight / words);
}

TEST(ScoreText, RandomValuesAtEveryMagnitudeAsFmtWritesThem) {
  std::mt19937_64 rng(6);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  for (int e = -6; e <= 8; ++e)
    for (int i = 0; i < 200000; ++i) expect_as_fmt(mantissa(rng) * std::pow(10.0, e));
}

TEST(ScoreText, BoundariesTiesAndSpecialValuesAsFmtWritesThem) {
  for (int e = -7; e <= 8; ++e) {
    const double p = std::pow(10.0, e);
    double below = p, above = p;
    for (int k = 0; k < 50; ++k) {
      below = std::nextafter(below, 0.0);
      above = std::nextafter(above, 1e300);
      expect_as_fmt(below);
      expect_as_fmt(above);
    }
    expect_as_fmt(p);
    // Six-digit boundaries: d.ddddd5 x 10^e, exact halves where representable, and their neighbours.
    std::mt19937 rng(static_cast<unsigned>(e + 100));
    for (int i = 0; i < 20000; ++i) {
      const double half = (100000 + rng() % 900000 + 0.5) * p / 1e5;
      expect_as_fmt(half);
      expect_as_fmt(std::nextafter(half, 0.0));
      expect_as_fmt(std::nextafter(half, 1e300));
    }
  }
  for (double v : {0.0, -0.0, 1.0, -1.0, -123.456789, 1e-300, 5e-324, 1e300, 999999.5, 999999.4999, 0.000099999949,
                   0.00009999995, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()})
    expect_as_fmt(v);
}

}  // namespace
}  // namespace caploop::corpus
