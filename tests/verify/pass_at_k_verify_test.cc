// pass@k hypotheses verified on 8-sample runs derived from the real Qwen2.5-Math outputs (derived_math_runs.h):
// on the 40 counting-and-probability problems, "before" solves half of them 4 times of 8 and the other half never;
// "after" solves the never-solved half once and the other half 3 times. Mean accuracy (= pass@1) does not move,
// pass@8 doubles (0.5 -> 1.0). A plan stating the slice's target on both metrics: the pass@1 target is not
// confirmed, the pass@8 target is. Expected values come from the rewrites, not from caploop.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <regex>
#include <set>

#include "derived_math_runs.h"
#include "mixture/mixture_plan.h"
#include "mixture/plan_hypotheses.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::MathRecord;
using testing::Rewrite;

double num(simdjson::dom::element e) { return e.is_int64() ? double(int64_t(e)) : double(e); }

TEST(PassAtKVerify, PassAtEightMovesWhilePassAtOneDoesNot) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  const std::vector<MathRecord> records = testing::read_math_records(testing::qwen_math_file());
  const std::regex counting("probability|how many|ways", std::regex::icase);
  std::vector<int64_t> slice;
  for (const MathRecord& r : records)
    if (std::regex_search(r.question, counting)) slice.push_back(r.idx);
  ASSERT_EQ(slice.size(), 40u);
  const std::set<int64_t> in_slice(slice.begin(), slice.end());
  auto half = [&](const MathRecord& r) {
    return (std::find(slice.begin(), slice.end(), r.idx) - slice.begin()) % 2 == 0;
  };
  const testing::Derivation before = [&](const MathRecord& r, size_t k) {
    if (!in_slice.count(r.idx)) return Rewrite::kKeep;
    if (half(r)) return Rewrite::kWrong;  // never solved
    return k < 4 ? Rewrite::kGold : Rewrite::kWrong;
  };
  const testing::Derivation after = [&](const MathRecord& r, size_t k) {
    if (!in_slice.count(r.idx)) return Rewrite::kKeep;
    if (half(r)) return k == 5 ? Rewrite::kGold : Rewrite::kWrong;  // solved once
    return k < 3 ? Rewrite::kGold : Rewrite::kWrong;
  };
  const std::string db = (tmp.path() / "w.db").string();
  for (const auto& [name, derive] : {std::pair{"before", before}, std::pair{"after", after}}) {
    const auto file = tmp.path() / (std::string(name) + ".jsonl");
    testing::write_derived_run(records, derive, file);
    auto r = testing::run_caploop(testing::ingest_math_args(db, name, file));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  double acc_before = 0, acc_after = 0;
  for (const MathRecord& r : records) {
    if (!in_slice.count(r.idx)) continue;
    acc_before += testing::expected_accuracy(r, before) / 40;
    acc_after += testing::expected_accuracy(r, after) / 40;
  }
  ASSERT_NEAR(acc_before, 0.25, 1e-12);
  ASSERT_NEAR(acc_after, 0.25, 1e-12);

  // The plan: the same slice stated on pass@1 (H1) and, chosen per hypothesis, on pass@8 (H2); the rest guarded.
  MixturePlan plan;
  plan.weakness_kind = "diagnosis";
  plan.verdict = Verdict::kDataRuledIn;
  PlanHypothesis target;
  target.kind = "target";
  target.slice_tags = {"operation=counting.case_enumeration"};
  for (int64_t idx : slice) target.items.push_back("math:" + std::to_string(idx));
  target.n = 40;
  target.baseline_accuracy = acc_before;
  target.min_effect = minimum_detectable_improvement(40, 0.5, 0.05, 0.8);
  target.id = "H1";
  target.description = "slice S1 (counting): accuracy 25.0% on 40 items rises";
  target.metric = "pass@1";
  PlanHypothesis target8 = target;
  target8.id = "H2";
  target8.description = "slice S2 (counting): accuracy 25.0% on 40 items rises";
  std::vector<PlanHypothesis> hs = {target, target8};
  set_target_metric(hs, "pass@8", "S2");  // per hypothesis
  EXPECT_EQ(hs[0].metric, "pass@1");
  EXPECT_EQ(hs[1].metric, "pass@8");
  EXPECT_NE(hs[1].description.find("pass@8"), std::string::npos) << hs[1].description;
  PlanHypothesis guard;
  guard.id = "H3";
  guard.kind = "guard";
  guard.slice_tags = {"rest"};
  guard.margin = 0.02;
  hs.push_back(guard);
  plan.hypotheses = hs;
  const std::string plan_file = (tmp.path() / "plan.json").string();
  testing::write_file(plan_file, plan_to_json(plan));
  EXPECT_EQ(parse_plan(plan_to_json(plan), plan_file).hypotheses[1].metric, "pass@8");

  auto r = testing::run_caploop(
      {"--db", db, "verify", "--plan", plan_file, "--baseline", "before", "--candidate", "after", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::padded_string json(r.out);
  simdjson::dom::element v = parser.parse(json);
  auto h1 = v["hypotheses"].at(0);
  auto h2 = v["hypotheses"].at(1);
  EXPECT_EQ(std::string_view(h1["metric"]), "pass@1");
  EXPECT_NEAR(num(h1["delta"]), 0.0, 1e-12);
  EXPECT_NE(std::string_view(h1["result"]), "confirmed");
  EXPECT_EQ(std::string_view(h2["metric"]), "pass@8");
  EXPECT_EQ(int64_t(h2["n"]), 40);
  EXPECT_NEAR(num(h2["baseline_accuracy"]), 0.5, 1e-12);  // pass@8: half the problems solved at least once
  EXPECT_NEAR(num(h2["candidate_accuracy"]), 1.0, 1e-12);
  EXPECT_NEAR(num(h2["delta"]), 0.5, 1e-12);
  EXPECT_GE(num(h2["delta"]), num(h2["min_effect"]));
  EXPECT_GT(num(h2["exact_ci"].at(0)), 0.0);
  EXPECT_EQ(std::string_view(h2["result"]), "confirmed") << std::string_view(h2["reason"]);
}

}  // namespace
}  // namespace caploop
