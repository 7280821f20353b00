// The pieces of the sampler on their own: largest-remainder apportionment, seeded keys, the token draw rule,
// output names, plan consistency checks, and the done-mark format.
#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "core/error.h"
#include "sampling/plan_checksum.h"
#include "sampling/sample_key.h"
#include "sampling/sample_paths.h"
#include "sampling/shard_quota.h"
#include "sampling/shard_sample_record.h"
#include "sampling/token_draw.h"

namespace caploop::sampling {
namespace {

TEST(ApportionLargestRemainder, PartsSumExactlyAndFollowTheWeights) {
  // 100 over 1:1:1 -> 33.33 each; the one left over goes to the first of the tied remainders.
  EXPECT_EQ(apportion_largest_remainder(100, {1, 1, 1}), (std::vector<int64_t>{34, 33, 33}));
  // 10 over 5:3:2 is exact.
  EXPECT_EQ(apportion_largest_remainder(10, {5, 3, 2}), (std::vector<int64_t>{5, 3, 2}));
  // 7 over 6:3:1 -> 4.2, 2.1, 0.7: floors 4, 2, 0, the largest remainder (0.7) gets the last token.
  EXPECT_EQ(apportion_largest_remainder(7, {6, 3, 1}), (std::vector<int64_t>{4, 2, 1}));
  // Zero weights get nothing; huge values do not overflow.
  EXPECT_EQ(apportion_largest_remainder(5, {0, 4, 0}), (std::vector<int64_t>{0, 5, 0}));
  const int64_t big = int64_t{1} << 61;
  std::vector<int64_t> parts = apportion_largest_remainder(big - 1, {big, big / 2, 7});
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), int64_t{0}), big - 1);
  EXPECT_EQ(apportion_largest_remainder(0, {1, 2}), (std::vector<int64_t>{0, 0}));
}

TEST(SampleKey, DependsOnSeedStreamAndIdOnly) {
  EXPECT_EQ(sample_key(7, "base:source__web", "doc-1"), sample_key(7, "base:source__web", "doc-1"));
  EXPECT_EQ(StreamKeyer(7, "base:source__web").key("doc-1"), sample_key(7, "base:source__web", "doc-1"));
  EXPECT_NE(sample_key(7, "base:source__web", "doc-1"), sample_key(8, "base:source__web", "doc-1"));
  EXPECT_NE(sample_key(7, "base:source__web", "doc-1"), sample_key(7, "base:source__wiki", "doc-1"));
  EXPECT_NE(sample_key(7, "base:source__web", "doc-1"), sample_key(7, "base:source__web", "doc-2"));
  // The separator keeps (stream, id) pairs apart that concatenate alike.
  EXPECT_NE(sample_key(1, "ab", "c"), sample_key(1, "a", "bc"));
  // Keys of consecutive ids spread over the whole range: about half of them have the top bit set.
  int top = 0;
  for (int i = 0; i < 10000; ++i) top += sample_key(3, "s", std::to_string(i)) >> 63;
  EXPECT_GT(top, 4700);
  EXPECT_LT(top, 5300);
}

TEST(TokenDraw, TakesInKeyOrderNearestToQuotaPassingOverWhatWouldOvershoot) {
  std::vector<Candidate> c = {{30, 3, 100}, {10, 1, 40}, {20, 2, 50}, {40, 4, 10}};
  // Key order: line 1 (40), line 2 (50) -> 90; line 3 (100): 90 + 100/2 > 120, passed over; line 4 (10) -> 100.
  DrawResult r = draw_to_quota(c, 120);
  EXPECT_EQ(r.taken, 3u);
  EXPECT_EQ(r.tokens, 100);
  EXPECT_EQ(r.taken_flags, (std::vector<char>{1, 1, 0, 1}));
  EXPECT_EQ(c[0].line, 1u);
  EXPECT_EQ(c[2].line, 3u);
  // Quota 140: 90 + 100/2 = 140 <= 140, so line 3 is taken (190 and 90 are equally near; a tie takes); the total
  // then exceeds the quota and the draw stops before line 4.
  r = draw_to_quota(c, 140);
  EXPECT_EQ(r.tokens, 190);
  EXPECT_EQ(r.taken_flags, (std::vector<char>{1, 1, 1, 0}));
  // Equal keys fall back to the line.
  std::vector<Candidate> tied = {{5, 9, 1}, {5, 2, 1}};
  draw_to_quota(tied, 1);
  EXPECT_EQ(tied[0].line, 2u);
  // Quota 0 takes nothing, even documents without tokens.
  std::vector<Candidate> empty_docs = {{1, 1, 0}, {2, 2, 0}};
  EXPECT_EQ(draw_to_quota(empty_docs, 0).taken, 0u);
  // A quota above everything takes everything.
  EXPECT_EQ(draw_to_quota(c, 1000).taken, 4u);
}

TEST(SamplePaths, ReplaceKnownEndingsByJsonlZst) {
  EXPECT_EQ(sample_output_name("a/x.jsonl"), "a/x.jsonl.zst");
  EXPECT_EQ(sample_output_name("a/x.jsonl.gz"), "a/x.jsonl.zst");
  EXPECT_EQ(sample_output_name("a/x.json.zst"), "a/x.jsonl.zst");
  EXPECT_EQ(sample_output_name("a/x.json"), "a/x.jsonl.zst");
  EXPECT_EQ(sample_output_name("x.txt"), "x.txt.jsonl.zst");
  SamplePaths p = sample_paths("/out", "tmp/in/part-2.jsonl.zst");
  EXPECT_EQ(p.output, "/out/tmp/in/part-2.jsonl.zst");
  EXPECT_EQ(p.manifest, "/out/tmp/in/part-2.jsonl.zst.manifest.jsonl");
  EXPECT_EQ(p.done_mark, "/out/tmp/in/part-2.jsonl.zst.sample.json");
}

MixturePlan two_shard_plan() {
  MixturePlan plan;
  PlanShard a, b;
  a.path = "a.jsonl";
  a.checksum = "00000000000000aa";
  a.stream_tokens = {{"base:x", 600}, {"target:t", 100}};
  b.path = "b.jsonl";
  b.checksum = "00000000000000bb";
  b.stream_tokens = {{"base:x", 400}, {"target:t", 300}};
  plan.corpus.shards = {a, b};
  PlanStream base;
  base.name = "base:x";
  base.kind = StreamKind::kBase;
  base.tags = {"source__x"};
  base.available_tokens = 1000;
  base.quota_tokens = 250;
  base.remainder_tokens = 250;
  PlanStream target;
  target.name = "target:t";
  target.kind = StreamKind::kTarget;
  target.tags = {"topic__t"};
  target.available_tokens = 400;
  target.quota_tokens = 1000;  // 2 full epochs + 200
  target.full_epochs = 2;
  target.remainder_tokens = 200;
  plan.streams = {base, target};
  return plan;
}

TEST(ShardQuotas, DivideEachStreamsRemainderByShardTokens) {
  MixturePlan plan = two_shard_plan();
  EXPECT_NO_THROW(check_plan_for_sampling(plan, "p.json"));
  auto q = shard_remainder_quotas(plan);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0], (std::vector<int64_t>{150, 50}));   // 250 x 0.6, 200 x 0.25
  EXPECT_EQ(q[1], (std::vector<int64_t>{100, 150}));  // 250 x 0.4, 200 x 0.75
}

TEST(ShardQuotas, InconsistentPlansAreRefusedNamingTheStream) {
  auto expect_refused = [](const MixturePlan& plan, const std::string& words) {
    try {
      check_plan_for_sampling(plan, "p.json");
      ADD_FAILURE() << "accepted: " << words;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_EQ(e.where().file, "p.json");
      EXPECT_NE(e.message().find(words), std::string::npos) << e.message();
    }
  };
  MixturePlan p = two_shard_plan();
  p.streams[1].remainder_tokens = 100;  // 2 x 400 + 100 != 1000
  expect_refused(p, "quota 1000 != full_epochs 2");
  p = two_shard_plan();
  p.corpus.shards[1].stream_tokens["base:x"] = 1;
  expect_refused(p, "the shards hold 601 tokens");
  p = two_shard_plan();
  std::swap(p.corpus.shards[0], p.corpus.shards[1]);
  expect_refused(p, "not sorted");
}

TEST(PlanChecksum, CoversWhatTheDrawDependsOnOnly) {
  MixturePlan plan = two_shard_plan();
  const std::string base = sampling_plan_checksum(plan);
  EXPECT_EQ(base.size(), 16u);
  MixturePlan annotated = plan;
  annotated.notes.push_back("a note");
  annotated.verdict = Verdict::kDataRuledIn;
  EXPECT_EQ(sampling_plan_checksum(annotated), base);
  MixturePlan changed = plan;
  changed.corpus.shards[0].checksum = "00000000000000ab";
  EXPECT_NE(sampling_plan_checksum(changed), base);
  changed = plan;
  changed.streams[0].quota_tokens += 1;
  EXPECT_NE(sampling_plan_checksum(changed), base);
}

TEST(ShardSampleRecord, RoundTripsAndRejectsOtherFiles) {
  ShardSampleRecord r;
  r.plan_checksum = "0123456789abcdef";
  r.seed = 18446744073709551615ull;  // the largest seed survives
  r.shard = "tmp/in/a.jsonl";
  r.output = "tmp/in/a.jsonl.zst";
  r.lines = 10;
  r.docs = 9;
  r.output_lines = 4;
  r.output_tokens = 400;
  r.streams.push_back({"base:x", 900, 9, 0, 300, 310, 3, 300, 310, 3});
  const std::string json = shard_record_to_json(r);
  EXPECT_EQ(json.back(), '\n');
  EXPECT_EQ(parse_shard_record(json, "r.json"), r);
  try {
    parse_shard_record("{\"format\": \"caploop-plan\", \"version\": 1}", "x.json");
    ADD_FAILURE() << "accepted a plan as a sample record";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, "x.json");
  }
}

}  // namespace
}  // namespace caploop::sampling
