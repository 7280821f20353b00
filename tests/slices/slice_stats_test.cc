// Slice statistics: accuracy as the mean item score, intervals, shrinkage, clustered errors and roll-up.
#include "slices/slice_stats.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "stats/proportion_interval.h"

namespace caploop {
namespace {

Slice slice_of(std::string value, std::vector<uint32_t> items) {
  return Slice{SliceKey{{SliceCondition{"level", std::move(value)}}}, std::move(items)};
}

TEST(SliceStatsTest, SingleSampleAccuracyAndWilsonInterval) {
  // 8 items, items 0-5 correct; item 7 not in the run.
  std::vector<ItemOutcome> outcomes = {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 0}, {0, 0}};
  const std::vector<Slice> slices = {slice_of("all", {0, 1, 2, 3, 4, 5, 6, 7})};
  const std::vector<SliceRunStats> stats = compute_slice_stats(slices, outcomes, {}, {});
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].items, 7);
  EXPECT_EQ(stats[0].samples, 7);
  EXPECT_DOUBLE_EQ(stats[0].accuracy, 6.0 / 7.0);
  const Interval wilson = wilson_interval(6, 7, 0.95);
  EXPECT_DOUBLE_EQ(stats[0].ci.lower, wilson.lower);
  EXPECT_DOUBLE_EQ(stats[0].ci.upper, wilson.upper);
  SliceStatsOptions cp;
  cp.interval = IntervalMethod::kClopperPearson;
  const Interval exact = clopper_pearson_interval(6, 7, 0.95);
  EXPECT_DOUBLE_EQ(compute_slice_stats(slices, outcomes, {}, cp)[0].ci.lower, exact.lower);
}

TEST(SliceStatsTest, MultiSampleAccuracyIsTheMeanItemScore) {
  // Item 0: 9/10, item 1: 1/2 -> accuracy (0.9 + 0.5) / 2 = 0.7, not the pooled 10/12.
  std::vector<ItemOutcome> outcomes = {{10, 9}, {2, 1}};
  const SliceRunStats s = item_set_stats(std::vector<uint32_t>{0, 1}, outcomes, {}, {});
  EXPECT_DOUBLE_EQ(s.accuracy, 0.7);
  EXPECT_EQ(s.samples, 12);
  EXPECT_EQ(s.correct_samples, 10);
  // Normal interval on item scores: sd of {0.9, 0.5} is 0.2828..., SE = 0.2.
  EXPECT_NEAR(s.ci.lower, 0.7 - 1.959963984540054 * 0.2, 1e-12);
  EXPECT_NEAR(s.ci.upper, 1.0, 1e-12);  // clipped
}

TEST(SliceStatsTest, ShrinkagePullsSmallSlicesTowardTheOrderMean) {
  // Twenty slices of 50 items around 0.6 plus one slice of 5 items all wrong.
  std::vector<ItemOutcome> outcomes;
  std::vector<Slice> slices;
  for (int s = 0; s < 20; ++s) {
    std::vector<uint32_t> members;
    for (int i = 0; i < 50; ++i) {
      members.push_back(static_cast<uint32_t>(outcomes.size()));
      outcomes.push_back({1, (i % 5 < 3 + (s % 2)) ? 1 : 0});
    }
    slices.push_back(slice_of("s" + std::to_string(s), members));
  }
  std::vector<uint32_t> tiny;
  for (int i = 0; i < 5; ++i) {
    tiny.push_back(static_cast<uint32_t>(outcomes.size()));
    outcomes.push_back({1, 0});
  }
  slices.push_back(slice_of("tiny", tiny));
  const std::vector<SliceRunStats> stats = compute_slice_stats(slices, outcomes, {}, {});
  const SliceRunStats& t = stats.back();
  EXPECT_EQ(t.accuracy, 0.0);
  EXPECT_GT(t.shrunken_accuracy, 0.2);  // pulled well above the raw 0
  EXPECT_LT(t.shrunken_accuracy, 0.7);
  EXPECT_TRUE(t.shrunken_ci.contains(t.shrunken_accuracy));
  // A large slice moves much less than the tiny one.
  EXPECT_LT(std::fabs(stats[0].shrunken_accuracy - stats[0].accuracy), t.shrunken_accuracy - t.accuracy);
}

TEST(SliceStatsTest, ClusteredStandardErrorNeedsTwoClusters) {
  std::vector<ItemOutcome> outcomes = {{1, 1}, {1, 0}, {1, 1}, {1, 0}};
  const std::vector<uint32_t> one_cluster = {0, 0, 0, 0};
  const std::vector<uint32_t> items = {0, 1, 2, 3};
  SliceRunStats s = item_set_stats(items, outcomes, one_cluster, {});
  EXPECT_EQ(s.clusters, 1);
  EXPECT_TRUE(std::isinf(s.clustered_se));
  // Clusters {1,1} and {0,0}: residual totals +1 and -1, CR1 = 2/1 * 2 / 16 -> SE 0.5.
  const std::vector<uint32_t> two = {0, 1, 0, 1};
  s = item_set_stats(items, outcomes, two, {});
  EXPECT_EQ(s.clusters, 2);
  EXPECT_NEAR(s.clustered_se, 0.5, 1e-12);
}

TEST(SliceStatsTest, ClusterIdsFollowBenchmarkAndTask) {
  std::vector<ItemTags> items(3);
  items[0].dims = {{"benchmark", "bbh"}, {"task", "a"}};
  items[1].dims = {{"benchmark", "bbh"}, {"task", "b"}};
  items[2].dims = {{"benchmark", "bbh"}, {"task", "a"}};
  EXPECT_EQ(cluster_ids_by_task(items), (std::vector<uint32_t>{0, 1, 0}));
}

TEST(SliceStatsTest, BadOutcomesAreInputErrors) {
  std::vector<ItemOutcome> outcomes = {{1, 2}};
  try {
    validate_outcomes(outcomes, 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().field, "outcomes[0]");
  }
  EXPECT_THROW(validate_outcomes(outcomes, 2), Error);
}

TEST(SliceStatsTest, SmallValuesRollUpToTheirNearestSupportedAncestor) {
  const std::vector<ValueSupport> supports = {
      {{"operation", "arithmetic"}, 40},
      {{"operation", "arithmetic.percentages"}, 25},
      {{"operation", "arithmetic.percentages.compound"}, 3},
      {{"operation", "arithmetic.rates"}, 5},
      {{"operation", "logic"}, 4},
      {{"level", "5"}, 2},
  };
  const std::vector<RolledUpValue> rolled = roll_up_small_values(supports, 20);
  ASSERT_EQ(rolled.size(), 4u);
  EXPECT_EQ(rolled[0].condition.value, "5");
  EXPECT_EQ(rolled[0].rolled_into, "");
  EXPECT_EQ(rolled[1].condition.value, "arithmetic.percentages.compound");
  EXPECT_EQ(rolled[1].rolled_into, "arithmetic.percentages");
  EXPECT_EQ(rolled[2].condition.value, "arithmetic.rates");
  EXPECT_EQ(rolled[2].rolled_into, "arithmetic");
  EXPECT_EQ(rolled[3].condition.value, "logic");
  EXPECT_EQ(rolled[3].rolled_into, "");
}

}  // namespace
}  // namespace caploop
