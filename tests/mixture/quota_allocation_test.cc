// The arithmetic of a plan on small cases worked out by hand (the expected figures are derived in the
// comments from the contract in mixture/quota_allocation.h, not taken from the code's output).
#include "mixture/quota_allocation.h"

#include <gtest/gtest.h>

#include <numeric>

#include "core/error.h"
#include "mixture/largest_remainder.h"

namespace caploop {
namespace {

TEST(LargestRemainder, SumsExactlyAndFavoursLargestRemainders) {
  // 10 x 1/3 each = 3.33: floors 3, 3, 3; one token left goes to the first of the tied remainders.
  EXPECT_EQ(apportion_largest_remainder(10, {1, 1, 1}), (std::vector<int64_t>{4, 3, 3}));
  // 7 x (5, 3, 2)/10 = 3.5, 2.1, 1.4: floors 3, 2, 1; the leftover token to the largest remainder (0.5).
  EXPECT_EQ(apportion_largest_remainder(7, {5, 3, 2}), (std::vector<int64_t>{4, 2, 1}));
  // 7 x (2, 3, 5)/10 = 1.4, 2.1, 3.5: the leftover goes to the last stream.
  EXPECT_EQ(apportion_largest_remainder(7, {2, 3, 5}), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(apportion_largest_remainder(0, {2, 3}), (std::vector<int64_t>{0, 0}));
  // Large figures do not overflow: 1e13 tokens over weights of 1e12 and 3e12.
  EXPECT_EQ(apportion_largest_remainder(10'000'000'000'000, {1'000'000'000'000, 3'000'000'000'000}),
            (std::vector<int64_t>{2'500'000'000'000, 7'500'000'000'000}));
}

TEST(AllocateQuotas, WaterFillingCapsAtMaxCategoryShare) {
  // B = 1000, m = 0.5: targets share T0 = 500. Demands 3:1 would give 375 and 125, but s = 0.3 caps a
  // target at 300 (the epoch cap (4 - 500/10000) x 5000 = 19750 does not bind), so the first gets 300
  // and the second the remaining 200. The base keeps 500, split 6000:4000 -> 300, 200.
  AllocationLimits l{1000, 10000, 4.0, 0.3, 0.5};
  Allocation a = allocate_quotas(l, {{3.0, 5000}, {1.0, 5000}}, {6000, 4000});
  EXPECT_EQ(a.target_budget, 500);
  EXPECT_EQ(a.target_tokens, 500);
  EXPECT_EQ(a.targets[0].quota_tokens, 300);
  EXPECT_EQ(a.targets[0].capped_by, QuotaCap::kMaxCategoryShare);
  EXPECT_EQ(a.targets[1].quota_tokens, 200);
  EXPECT_EQ(a.targets[1].capped_by, QuotaCap::kNone);
  EXPECT_EQ(a.base, (std::vector<int64_t>{300, 200}));
}

TEST(AllocateQuotas, WhatTargetsCannotAbsorbGoesToBase) {
  // Both targets capped at s x B = 100 < T0 = 500: targets take 200, the base 800.
  AllocationLimits l{1000, 10000, 4.0, 0.1, 0.5};
  Allocation a = allocate_quotas(l, {{3.0, 5000}, {1.0, 5000}}, {10000});
  EXPECT_EQ(a.target_tokens, 200);
  EXPECT_EQ(a.base_tokens, 800);
  EXPECT_EQ(a.base, (std::vector<int64_t>{800}));
}

TEST(AllocateQuotas, EpochCapIsAFixedPointOfTheBaseRate) {
  // B = M = 1000, E = 1.2, one target of 100 tokens. Taking T tokens leaves a base rate (1000 - T)/1000,
  // so the target may take floor((1.2 - (1000 - T)/1000) x 100) = floor(20 + T/10). The largest T that
  // cap can hold: T = 22 (floor(22.2) = 22 >= 22, while floor(22.3) = 22 < 23). Epochs: 0.22 + 0.978 <= 1.2.
  AllocationLimits l{1000, 1000, 1.2, 1.0, 0.0};
  Allocation a = allocate_quotas(l, {{1.0, 100}}, {1000});
  EXPECT_EQ(a.target_budget, 1000);
  EXPECT_EQ(a.target_tokens, 22);
  EXPECT_EQ(a.targets[0].capped_by, QuotaCap::kMaxEpochs);
  EXPECT_EQ(a.base_tokens, 978);
  EXPECT_LE(22.0 / 100 + 978.0 / 1000, 1.2);
}

TEST(AllocateQuotas, ProportionalToDemandWithRoundingThatSumsExactly) {
  // T0 = 1000 - ceil(0.5 x 1000) = 500 over demands 1:1:1 -> 166.67 each: floors 166 x 3, 2 tokens left to
  // the first two (equal remainders, lower index first). Base 500 over 1:1 -> 250, 250.
  AllocationLimits l{1000, 3000, 4.0, 1.0, 0.5};
  Allocation a = allocate_quotas(l, {{1.0, 1000}, {1.0, 1000}, {1.0, 1000}}, {1500, 1500});
  EXPECT_EQ(a.targets[0].quota_tokens, 167);
  EXPECT_EQ(a.targets[1].quota_tokens, 167);
  EXPECT_EQ(a.targets[2].quota_tokens, 166);
  EXPECT_EQ(a.base, (std::vector<int64_t>{250, 250}));
}

TEST(AllocateQuotas, NoDemandLeavesEverythingToBase) {
  AllocationLimits l{1000, 3000, 4.0, 1.0, 0.5};
  Allocation a = allocate_quotas(l, {{0.0, 1000}}, {3000});
  EXPECT_EQ(a.target_tokens, 0);
  EXPECT_EQ(a.base_tokens, 1000);
  EXPECT_EQ(a.targets[0].quota_tokens, 0);
}

TEST(AllocateQuotas, RefusesABudgetBeyondMaxEpochs) {
  AllocationLimits l{5000, 1000, 4.0, 0.25, 0.5};
  try {
    allocate_quotas(l, {{1.0, 100}}, {1000});
    FAIL() << "accepted a budget of 5 epochs with max_epochs 4";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.message().find("budget 5000 tokens cannot be filled: corpus has 1000 tokens, max_epochs 4 allows at "
                               "most 4000"),
              std::string::npos)
        << e.message();
  }
}

TEST(AllocateQuotas, RefusesBaseStreamsThatDoNotCoverTheCorpus) {
  AllocationLimits l{100, 1000, 4.0, 0.25, 0.5};
  EXPECT_THROW(allocate_quotas(l, {}, {600}), Error);
}

TEST(AllocateQuotas, CapsHoldOverManyShapes) {
  // A sweep of budgets and caps: quotas sum to the budget, each cap holds, the base keeps its share.
  for (int64_t budget : {1, 7, 999, 12345, 100000}) {
    for (double e : {1.0, 1.5, 4.0}) {
      for (double s : {0.05, 0.25, 1.0}) {
        for (double m : {0.0, 0.5, 0.9}) {
          AllocationLimits l{budget, 30000, e, s, m};
          std::vector<TargetDemand> t{{5.0, 700}, {1.0, 9000}, {0.25, 31}};
          if (static_cast<double>(budget) > e * 30000) {
            EXPECT_THROW(allocate_quotas(l, t, {10000, 20000}), Error);
            continue;
          }
          Allocation a = allocate_quotas(l, t, {10000, 20000});
          int64_t sum = a.base_tokens;
          EXPECT_EQ(std::accumulate(a.base.begin(), a.base.end(), int64_t{0}), a.base_tokens);
          const double rate = static_cast<double>(a.base_tokens) / 30000;
          int64_t targets = 0;
          for (size_t i = 0; i < t.size(); ++i) {
            const int64_t q = a.targets[i].quota_tokens;
            targets += q;
            EXPECT_LE(q, static_cast<int64_t>(s * static_cast<double>(budget)));
            EXPECT_LE(static_cast<double>(q) / static_cast<double>(t[i].available_tokens) + rate, e + 1e-12);
          }
          EXPECT_EQ(targets, a.target_tokens);
          sum += targets;
          EXPECT_EQ(sum, budget);
          EXPECT_GE(static_cast<double>(a.base_tokens), m * static_cast<double>(budget) - 1e-9);
        }
      }
    }
  }
}

}  // namespace
}  // namespace caploop
