// Agresti-Min paired difference: values worked out by hand from the adjusted 2x2 table.
#include "stats/paired_proportion_difference.h"

#include <gtest/gtest.h>

#include <cmath>

namespace caploop {
namespace {

TEST(AgrestiMinPairedDifference, MatchesTheAdjustedTableByHand) {
  // b = 2, c = 8, n = 50: b' = 2.5, c' = 8.5, m = 52; estimate 6/52; variance (11 - 36/52) / 52^2.
  const PairedProportionDifference d = agresti_min_paired_difference(2, 8, 50);
  EXPECT_NEAR(d.estimate, 6.0 / 52.0, 1e-12);
  EXPECT_NEAR(d.standard_error, std::sqrt((11.0 - 36.0 / 52.0) / (52.0 * 52.0)), 1e-12);
}

TEST(AgrestiMinPairedDifference, IsAntisymmetricInLostAndGained) {
  const PairedProportionDifference up = agresti_min_paired_difference(3, 11, 40);
  const PairedProportionDifference down = agresti_min_paired_difference(11, 3, 40);
  EXPECT_NEAR(up.estimate, -down.estimate, 1e-15);
  EXPECT_NEAR(up.standard_error, down.standard_error, 1e-15);
}

TEST(AgrestiMinPairedDifference, NoDiscordantPairsStillHasAPositiveError) {
  // b' = c' = 0.5, m = 12: variance (1 - 0) / 144, above the floor 0.25 / 144.
  const PairedProportionDifference d = agresti_min_paired_difference(0, 0, 10);
  EXPECT_EQ(d.estimate, 0.0);
  EXPECT_NEAR(d.standard_error, 1.0 / 12.0, 1e-12);
}

}  // namespace
}  // namespace caploop
