// Adjusted p-values on the worked example of Benjamini and Hochberg (JRSS B 57, 1995, sec. 4.2): 15 p-values
// from a trial; at q = 0.05 the step-up procedure rejects the four smallest, Bonferroni-type procedures
// three. Reference values: the defining formulas evaluated in tests/stats/reference_values.py.
#include "stats/multiple_testing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"

namespace caploop {
namespace {

const std::vector<double> kBenjaminiHochberg1995 = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                                                    0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};

int64_t rejected(const std::vector<double>& adjusted, double level) {
  return std::count_if(adjusted.begin(), adjusted.end(), [&](double q) { return q <= level; });
}

TEST(MultipleTestingTest, BenjaminiHochbergRejectsFourInThe1995Example) {
  const std::vector<double> q = benjamini_hochberg(kBenjaminiHochberg1995);
  const std::vector<double> expected = {0.0015,
                                        0.003,
                                        0.0095,
                                        0.035625,
                                        0.0603,
                                        0.06385714285714286,
                                        0.06385714285714286,
                                        0.0645,
                                        0.0765,
                                        0.48600000000000004,
                                        0.5811818181818182,
                                        0.714875,
                                        0.7532307692307694,
                                        0.8132142857142857,
                                        1};
  ASSERT_EQ(q.size(), expected.size());
  for (size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], expected[i], 1e-15) << i;
  EXPECT_EQ(rejected(q, 0.05), 4);
}

TEST(MultipleTestingTest, BenjaminiYekutieliAndHolmOnThe1995Example) {
  const std::vector<double> by = benjamini_yekutieli(kBenjaminiHochberg1995);
  EXPECT_NEAR(by[0], 0.004977343489843491, 1e-15);
  EXPECT_NEAR(by[3], 0.1182119078837829, 1e-15);
  EXPECT_NEAR(by[8], 0.253844517982018, 1e-15);
  EXPECT_EQ(by[9], 1.0);
  EXPECT_EQ(rejected(by, 0.05), 3);
  const std::vector<double> h = holm(kBenjaminiHochberg1995);
  const std::vector<double> expected = {0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278, 0.278, 0.278,
                                        0.3213, 1,      1,      1,     1,      1,     1};
  for (size_t i = 0; i < h.size(); ++i) EXPECT_NEAR(h[i], expected[i], 1e-15) << i;
  EXPECT_EQ(rejected(h, 0.05), 3);
}

TEST(MultipleTestingTest, ResultsFollowInputOrderAndAreMonotone) {
  std::vector<double> shuffled = kBenjaminiHochberg1995;
  std::reverse(shuffled.begin(), shuffled.end());
  std::swap(shuffled[2], shuffled[11]);
  const std::vector<double> q = benjamini_hochberg(shuffled);
  const std::vector<double> reference = benjamini_hochberg(kBenjaminiHochberg1995);
  for (size_t i = 0; i < shuffled.size(); ++i) {
    const size_t original = std::find(kBenjaminiHochberg1995.begin(), kBenjaminiHochberg1995.end(), shuffled[i]) -
                            kBenjaminiHochberg1995.begin();
    EXPECT_EQ(q[i], reference[original]);
    for (size_t j = 0; j < shuffled.size(); ++j) {
      if (shuffled[i] <= shuffled[j]) {
        EXPECT_LE(q[i], q[j]);
      }
    }
    EXPECT_GE(q[i], shuffled[i]);
  }
}

TEST(MultipleTestingTest, TiesEmptyAndInvalidInput) {
  const std::vector<double> tied = {0.01, 0.01, 0.01};
  for (double q : benjamini_hochberg(tied)) EXPECT_DOUBLE_EQ(q, 0.01);
  for (double q : holm(tied)) EXPECT_DOUBLE_EQ(q, 0.03);
  EXPECT_TRUE(benjamini_hochberg(std::vector<double>{}).empty());
  EXPECT_THROW(benjamini_hochberg(std::vector<double>{0.2, 1.5}), Error);
  EXPECT_THROW(holm(std::vector<double>{NAN}), Error);
}

}  // namespace
}  // namespace caploop
