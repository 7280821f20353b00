// The plan file: write -> parse -> write gives the same bytes, and a malformed plan is refused with an error
// naming the file and the JSON pointer of the field at fault.
#include "mixture/mixture_plan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

MixturePlan sample_plan() {
  MixturePlan p;
  p.weakness_file = "out/diagnosis.json";
  p.weakness_kind = "diagnosis";
  p.weakness_checksum = "0123456789abcdef";
  p.verdict = Verdict::kDataRuledIn;
  p.baseline = "qwen-math";
  p.candidate = "qwen-math-derived";
  p.mapping_name = "caploop-builtin";
  p.mapping_source = "<built-in>";
  p.mapping_fingerprint = "fedcba9876543210";
  p.options.budget_tokens = 1000003;
  p.options.max_epochs = 3.5;
  p.options.max_category_share = 0.1;  // not exactly representable: must round-trip all the same
  p.options.min_base_share = 2.0 / 3.0;
  p.corpus.stats_dirs = {"tags/a", "tags/b"};
  p.corpus.taxonomy = "caploop-data@abc";
  p.corpus.tokenizer = "estimate:bytes/4";
  p.corpus.docs = 42;
  p.corpus.tokens = 98765;
  PlanShard shard;
  shard.path = "in/dj/arxiv.jsonl";
  shard.stats_file = "tags/a/in/dj/arxiv.jsonl.stats.json";
  shard.checksum = "00000000deadbeef";
  shard.lines = 50;
  shard.docs = 49;
  shard.tokens = 98765;
  shard.stream_tokens = {{"base:source__web", 90000}, {"target:a&b", 8765}, {"odd~/key", 1}};
  p.corpus.shards.push_back(shard);
  PlanSlice slice;
  slice.id = "S1";
  slice.tags = {"operation=counting.case_enumeration", "background=dice"};
  slice.n = 120;
  slice.severity = 0.125;
  slice.baseline_accuracy = 0.4;
  slice.q_value = 1e-9;
  slice.status = SliceStatus::kMapped;
  slice.rules = {"counting"};
  slice.items = {"math:1", "math:\"quoted\"\n"};
  p.slices.push_back(slice);
  PlanStream base;
  base.name = "base:source__web";
  base.kind = StreamKind::kBase;
  base.tags = {"source__web"};
  base.available_tokens = 90000;
  base.available_docs = 40;
  base.quota_tokens = 600000;
  base.full_epochs = 6;
  base.remainder_tokens = 60000;
  base.epochs = 6.0 + 2.0 / 3.0;
  base.share = 0.6;
  p.streams.push_back(base);
  PlanStream target;
  target.name = "target:a&b";
  target.kind = StreamKind::kTarget;
  target.tags = {"a", "b"};
  target.available_tokens = 8765;
  target.available_docs = 9;
  target.demand = 15.0;
  target.quota_tokens = 400003;
  target.epochs = 1e-300;
  target.capped_by = QuotaCap::kMaxEpochs;
  target.links.push_back({"S1", "counting", "operation=counting.case_enumeration", 0.75, 11.25});
  p.streams.push_back(target);
  PlanHypothesis h;
  h.id = "H1";
  h.kind = "target";
  h.description = "slice S1 improves";
  h.slice_tags = slice.tags;
  h.items = slice.items;
  h.n = 120;
  h.baseline_accuracy = 0.4;
  h.min_effect = std::numeric_limits<double>::infinity();  // not detectable: written as null
  h.streams = {"target:a&b"};
  p.hypotheses.push_back(h);
  PlanHypothesis g;
  g.id = "H2";
  g.kind = "guard";
  g.description = "every other item of the runs";
  g.slice_tags = {"rest"};
  g.margin = 0.02;
  p.hypotheses.push_back(g);
  p.base_tokens = 600000;
  p.target_tokens = 400003;
  p.notes = {"a note", "another"};
  return p;
}

TEST(MixturePlanJson, RoundTripIsByteIdentical) {
  std::string first = plan_to_json(sample_plan());
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.back(), '\n');
  MixturePlan parsed = parse_plan(first, "plan.json");
  EXPECT_EQ(plan_to_json(parsed), first);
  // Spot checks that values really came back (not merely re-serialised defaults).
  EXPECT_EQ(parsed.options.budget_tokens, 1000003);
  EXPECT_EQ(parsed.options.max_category_share, 0.1);
  EXPECT_EQ(parsed.options.min_base_share, 2.0 / 3.0);
  EXPECT_EQ(parsed.streams[0].epochs, 6.0 + 2.0 / 3.0);
  EXPECT_EQ(parsed.streams[1].epochs, 1e-300);
  EXPECT_EQ(parsed.corpus.shards[0].stream_tokens.at("odd~/key"), 1);
  EXPECT_EQ(parsed.slices[0].items[1], "math:\"quoted\"\n");
  EXPECT_TRUE(std::isinf(parsed.hypotheses[0].min_effect));
  EXPECT_EQ(parsed.streams[1].links[0].demand, 11.25);
  EXPECT_EQ(parsed.hypotheses[1].slice_tags, std::vector<std::string>{"rest"});
}

TEST(MixturePlanJson, ReadPlanReadsAFile) {
  caploop::testing::TempDir tmp;
  std::string text = plan_to_json(sample_plan());
  caploop::testing::write_file(tmp / "p.json", text);
  EXPECT_EQ(plan_to_json(read_plan((tmp / "p.json").string())), text);
}

// Replaces the first occurrence of `from` in `text`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Error parse_error(const std::string& text) {
  return testing::expect_error([&] { parse_plan(text, "bad.json"); }, "parse_plan accepted a bad plan");
}

TEST(MixturePlanJson, ErrorsNameFileAndPointer) {
  std::string good = plan_to_json(sample_plan());
  struct Case {
    std::string from, to, field;
  };
  const std::vector<Case> cases = {
      {"\"quota_tokens\": 400003", "\"quota_tokens\": \"many\"", "/streams/1/quota_tokens"},
      {"\"quota_tokens\": 600000", "\"quota\": 600000", "/streams/0/quota_tokens"},
      {"\"budget_tokens\": 1000003", "\"budget_tokens\": 1.5", "/options/budget_tokens"},
      {"\"target:a&b\": 8765", "\"target:a&b\": true", "/corpus/shards/0/stream_tokens/target:a&b"},
      {"\"odd~/key\": 1", "\"odd~/key\": null", "/corpus/shards/0/stream_tokens/odd~0~1key"},
      {"\"math:1\"", "7", "/slices/0/items/0"},
      {"\"rule_id\": \"counting\"", "\"rule_id\": []", "/streams/1/links/0/rule_id"},
      {"\"kind\": \"guard\"", "\"kind\": \"watch\"", "/hypotheses/1/kind"},
      {"\"verdict\": \"data_ruled_in\"", "\"verdict\": \"ruled_in\"", "/weaknesses/verdict"},
      {"\"capped_by\": \"max_epochs\"", "\"capped_by\": \"epochs\"", "/streams/1/capped_by"},
      {"\"status\": \"mapped\"", "\"status\": \"Mapped\"", "/slices/0/status"},
      {"\"margin\": 0.02", "\"margin\": null", "/hypotheses/1/margin"},
      {"\"format\": \"caploop-plan\"", "\"format\": \"caploop-corpus-stats/2\"", "/format"},
      {"\"version\": 1", "\"version\": 2", "/version"},
      {"\"notes\": [", "\"remarks\": [", "/notes"},
  };
  for (const auto& c : cases) {
    Error e = parse_error(replaced(good, c.from, c.to));
    EXPECT_EQ(e.kind(), ErrorKind::kInput) << c.field;
    EXPECT_EQ(e.where().file, "bad.json") << c.field;
    EXPECT_EQ(e.where().field, c.field) << e.what();
  }
  Error version = parse_error(replaced(good, "\"version\": 1", "\"version\": 2"));
  EXPECT_NE(std::string(version.what()).find("version 2 is not supported"), std::string::npos) << version.what();
}

TEST(MixturePlanJson, MalformedJsonNamesTheFile) {
  std::string good = plan_to_json(sample_plan());
  Error e = parse_error(good.substr(0, good.size() / 2));
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "bad.json");
  Error not_object = parse_error("[1, 2]");
  EXPECT_EQ(not_object.kind(), ErrorKind::kInput);
}

}  // namespace
}  // namespace caploop
