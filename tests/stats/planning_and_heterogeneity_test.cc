// Power planning, Cochran's Q and cluster-robust standard errors against formulas evaluated independently
// in tests/stats/reference_values.py (chi-square with 3 degrees of freedom through its closed form
// erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2)).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "stats/cluster_robust_mean.h"
#include "stats/heterogeneity.h"
#include "stats/paired_power.h"

namespace caploop {
namespace {

TEST(PairedPowerTest, SampleSizeMatchesConnorsFormula) {
  // delta = 0.05, psi = 0.2, alpha = 0.05 two-sided, power 0.8: n = 625.547...
  EXPECT_EQ(paired_proportion_sample_size(0.05, 0.2, {}), 626);
  EXPECT_EQ(paired_proportion_sample_size(-0.05, 0.2, {}), 626);
  EXPECT_LT(paired_proportion_sample_size(0.05, 0.2, {.alpha = 0.05, .power = 0.8, .two_sided = false}), 626);
  EXPECT_THROW(paired_proportion_sample_size(0.3, 0.2, {}), Error);
  EXPECT_THROW(paired_proportion_sample_size(0.05, 0.2, {.alpha = 0.05, .power = 0.3}), Error);
}

TEST(PairedPowerTest, MinimumDetectableEffectInvertsTheSampleSize) {
  EXPECT_LE(paired_proportion_minimum_detectable_effect(626, 0.2, {}), 0.05);
  EXPECT_GT(paired_proportion_minimum_detectable_effect(625, 0.2, {}), 0.05);
  for (int64_t n : {500, 1000, 250000}) {
    const double mde = paired_proportion_minimum_detectable_effect(n, 0.1, {});
    EXPECT_NEAR(static_cast<double>(paired_proportion_sample_size(mde, 0.1, {})), static_cast<double>(n), 1.0) << n;
  }
  // For large n the effect approaches (z_a + z_b) sqrt(psi / n).
  EXPECT_NEAR(paired_proportion_minimum_detectable_effect(10'000'000, 0.1, {}),
              (1.959963984540054 + 0.8416212335729143) * std::sqrt(0.1 / 1e7), 1e-8);
  EXPECT_EQ(paired_proportion_minimum_detectable_effect(5, 0.1, {}), INFINITY);
  EXPECT_EQ(paired_proportion_minimum_detectable_effect(500, 0.0, {}), INFINITY);
}

TEST(CochranQTest, HeterogeneousEffects) {
  const std::vector<SliceEffect> effects = {{0.1, 0.05}, {0.3, 0.1}, {-0.05, 0.08}, {0.2, 0.04}};
  const HeterogeneityResult r = cochran_q_test(effects);
  EXPECT_NEAR(r.pooled_estimate, 0.14609756097560975, 1e-15);
  EXPECT_NEAR(r.pooled_standard_error, 0.02793721183078313, 1e-15);
  EXPECT_NEAR(r.q, 11.042987804878049, 1e-12);
  EXPECT_DOUBLE_EQ(r.degrees_of_freedom, 3.0);
  EXPECT_NEAR(r.p_value, 0.011495680863102445, 1e-14);
  EXPECT_NEAR(r.i_squared, 0.728334391651252, 1e-13);
  EXPECT_NEAR(r.tau_squared, 0.009753401360544218, 1e-15);
}

TEST(CochranQTest, HomogeneousAndSingleEffects) {
  const std::vector<SliceEffect> same = {{0.1, 0.05}, {0.1, 0.2}, {0.1, 0.01}};
  const HeterogeneityResult r = cochran_q_test(same);
  EXPECT_NEAR(r.q, 0.0, 1e-20);
  EXPECT_NEAR(r.p_value, 1.0, 1e-15);
  EXPECT_EQ(r.i_squared, 0.0);
  EXPECT_EQ(r.tau_squared, 0.0);
  const HeterogeneityResult one = cochran_q_test(std::vector<SliceEffect>{{0.3, 0.1}});
  EXPECT_EQ(one.p_value, 1.0);
  EXPECT_DOUBLE_EQ(one.pooled_estimate, 0.3);
  EXPECT_THROW(cochran_q_test(std::vector<SliceEffect>{{0.3, 0.0}}), Error);
  EXPECT_THROW(cochran_q_test(std::vector<SliceEffect>{}), Error);
}

TEST(ClusterRobustMeanTest, SmallExample) {
  // Clusters {1,1,1}, {0,0}, {1,0,1,0}.
  const std::vector<double> y = {1, 1, 1, 0, 0, 1, 0, 1, 0};
  const std::vector<int64_t> id = {7, 7, 7, 3, 3, 9, 9, 9, 9};
  const ClusteredMean cr1 = cluster_robust_mean(y, id, ClusterCorrection::kCR1);
  EXPECT_NEAR(cr1.mean, 0.5555555555555556, 1e-15);
  EXPECT_NEAR(cr1.standard_error, 0.2381148336047643, 1e-15);
  EXPECT_NEAR(cr1.iid_standard_error, 0.17568209223157663, 1e-15);
  EXPECT_NEAR(cr1.design_effect, std::pow(0.2381148336047643 / 0.17568209223157663, 2), 1e-13);
  EXPECT_EQ(cr1.clusters, 3);
  EXPECT_EQ(cr1.observations, 9);
  EXPECT_NEAR(cluster_robust_mean(y, id, ClusterCorrection::kCR0).standard_error, 0.19441994750646446, 1e-15);
  const std::vector<ClusterTotal> totals = {{0, 0, 2}, {3, 3, 3}, {2, 2, 4}};
  EXPECT_DOUBLE_EQ(cluster_robust_mean(totals, ClusterCorrection::kCR1).standard_error, cr1.standard_error);
}

TEST(ClusterRobustMeanTest, SingletonClustersReduceToTheIndependentFormulas) {
  std::vector<double> y;
  std::vector<int64_t> id;
  for (int i = 0; i < 40; ++i) {
    y.push_back(i % 3 == 0 ? 1.0 : 0.0);
    id.push_back(1000 - i);
  }
  const double p = 14.0 / 40.0;
  EXPECT_NEAR(cluster_robust_mean(y, id, ClusterCorrection::kCR0).standard_error, std::sqrt(p * (1 - p) / 40), 1e-15);
  const ClusteredMean cr1 = cluster_robust_mean(y, id, ClusterCorrection::kCR1);
  EXPECT_NEAR(cr1.standard_error, cr1.iid_standard_error, 1e-15);
  EXPECT_NEAR(cr1.design_effect, 1.0, 1e-12);
}

TEST(ClusterRobustMeanTest, OneClusterIsNotEstimable) {
  const std::vector<double> y = {1, 0, 1};
  const std::vector<int64_t> id = {4, 4, 4};
  EXPECT_EQ(cluster_robust_mean(y, id, ClusterCorrection::kCR1).standard_error, INFINITY);
  EXPECT_THROW(cluster_robust_mean(y, std::vector<int64_t>{1}, ClusterCorrection::kCR1), Error);
  EXPECT_THROW(cluster_robust_mean(std::vector<ClusterTotal>{}, ClusterCorrection::kCR1), Error);
}

}  // namespace
}  // namespace caploop
