// --shard I/N parsing and its division among mpirun ranks: malformed flags are usage errors, and any job array
// of N jobs, each run by any number of ranks, takes every input exactly once.
#include "cluster/shard_share.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"

namespace caploop {
namespace {

TEST(ShardShare, ParsesOneBasedFlagIntoZeroBasedShare) {
  EXPECT_EQ(parse_shard_flag("1/1"), (ShardShare{0, 1}));
  EXPECT_EQ(parse_shard_flag("2/8"), (ShardShare{1, 8}));
  EXPECT_EQ(parse_shard_flag("8/8"), (ShardShare{7, 8}));
  EXPECT_EQ(parse_shard_flag("007/10"), (ShardShare{6, 10}));
}

TEST(ShardShare, MalformedFlagsAreUsageErrorsQuotingTheFlag) {
  for (const char* bad : {"", "1", "/", "1/", "/2", "0/2", "3/2", "1/0", "a/2", "1/2x", "+1/2", " 1/2", "1/ 2", "1/-2",
                          "-1/2", "1/2/3", "1.0/2", "9999999999/1", "1/9999999999"}) {
    try {
      parse_shard_flag(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage) << bad;
      EXPECT_EQ(e.exit_code(), 2);
      EXPECT_NE(e.message().find(std::string("'") + bad + "'"), std::string::npos) << e.message();
    }
  }
}

TEST(ShardShare, GroupOfOneKeepsTheShare) {
  for (int n = 1; n <= 5; ++n)
    for (int i = 0; i < n; ++i) EXPECT_EQ(rank_share({i, n}, 0, 1), (ShardShare{i, n}));
}

TEST(ShardShare, RanksOfAJobTakeExactlyThatJobsShare) {
  // Share 2 of 3 run by 4 ranks: rank r takes positions 1 + 3k with k mod 4 == r.
  EXPECT_EQ(rank_share({1, 3}, 0, 4), (ShardShare{1, 12}));
  EXPECT_EQ(rank_share({1, 3}, 3, 4), (ShardShare{10, 12}));
  const int inputs = 100;
  for (int n = 1; n <= 5; ++n)
    for (int p = 1; p <= 4; ++p)
      for (int i = 0; i < n; ++i) {
        std::vector<int> taken(inputs, 0);
        for (int r = 0; r < p; ++r) {
          const ShardShare s = rank_share({i, n}, r, p);
          ASSERT_GE(s.index, 0);
          ASSERT_LT(s.index, s.count);
          for (int pos = 0; pos < inputs; ++pos) taken[pos] += share_takes(s, pos);
        }
        for (int pos = 0; pos < inputs; ++pos)
          ASSERT_EQ(taken[pos], pos % n == i ? 1 : 0)
              << "share " << i + 1 << "/" << n << " on " << p << " ranks, input " << pos;
      }
}

TEST(ShardShare, JobArrayWithDifferentRankCountsPerJobCoversEveryInputOnce) {
  // Job j of 3 runs on ranks[j] processes; together they take each of 200 inputs exactly once.
  const int inputs = 200, n = 3;
  const int ranks[n] = {2, 1, 4};
  std::vector<int> taken(inputs, 0);
  for (int j = 0; j < n; ++j)
    for (int r = 0; r < ranks[j]; ++r)
      for (int pos = 0; pos < inputs; ++pos) taken[pos] += share_takes(rank_share({j, n}, r, ranks[j]), pos);
  for (int pos = 0; pos < inputs; ++pos) EXPECT_EQ(taken[pos], 1) << "input " << pos;
}

TEST(ShardShare, TooManySharesForAnIntIsAUsageError) {
  try {
    rank_share({0, 1 << 30}, 0, 4);
    ADD_FAILURE() << "overflow accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
  }
  EXPECT_THROW(rank_share({0, 2}, 2, 2), Error);  // rank outside the group
}

}  // namespace
}  // namespace caploop
