// verify_plan over synthetic paired outcomes: item resolution (planned items, missing items, the "rest"
// guard), false discovery control across targets, notes, errors, and the JSON and Markdown renderings.
#include "verify/verification.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <random>

#include "core/error.h"
#include "test_support.h"
#include "verify/verification_json.h"
#include "verify/verification_markdown.h"

namespace caploop {
namespace {

PlanHypothesis target(std::string id, std::vector<std::string> items, double min_effect) {
  PlanHypothesis h;
  h.id = std::move(id);
  h.kind = "target";
  h.description = "slice should improve";
  h.slice_tags = {"operation=counting.case_enumeration"};
  h.items = std::move(items);
  h.n = static_cast<int64_t>(h.items.size());
  h.min_effect = min_effect;
  return h;
}

PlanHypothesis rest_guard(std::string id) {
  PlanHypothesis h;
  h.id = std::move(id);
  h.kind = "guard";
  h.description = "every other item of the runs";
  h.slice_tags = {"rest"};
  h.margin = 0.02;
  return h;
}

std::vector<std::string> keys(const std::string& task, int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(task + ":" + std::to_string(i));
  return out;
}

// Single-sample outcomes: task "a" items 0..39 (baseline wrong on all, candidate right on the first `a_gain`),
// task "b" items 0..39 (candidate right on the first `b_gain`), task "r" items 0..199 unchanged (right on even).
std::vector<PairedOutcome> outcomes(int a_gain, int b_gain) {
  std::vector<PairedOutcome> out;
  for (int i = 0; i < 40; ++i) out.push_back({"a:" + std::to_string(i), 1, 0, 1, i < a_gain ? 1 : 0});
  for (int i = 0; i < 40; ++i) out.push_back({"b:" + std::to_string(i), 1, 0, 1, i < b_gain ? 1 : 0});
  for (int i = 0; i < 200; ++i) out.push_back({"r:" + std::to_string(i), 1, i % 2 == 0, 1, i % 2 == 0});
  return out;
}

VerificationInput input_for(std::vector<PlanHypothesis> hs, std::vector<PairedOutcome> items) {
  VerificationInput in;
  in.plan_file = "plan.json";
  in.plan.baseline = "base";
  in.plan.candidate = "weak";
  in.plan.hypotheses = std::move(hs);
  in.baseline = "weak";
  in.candidate = "retrained";
  in.scoring_rule = "math";
  in.items = std::move(items);
  return in;
}

TEST(VerificationTest, TargetsGetBenjaminiHochbergQValuesAndTheRestGuardTheOtherItems) {
  auto in = input_for({target("H1", keys("a", 0, 40), 0.2), target("H2", keys("b", 0, 40), 0.2), rest_guard("H3")},
                      outcomes(20, 4));
  const Verification v = verify_plan(in, VerifyOptions{});
  ASSERT_EQ(v.hypotheses.size(), 3u);
  const auto& h1 = v.hypotheses[0];
  const auto& h2 = v.hypotheses[1];
  const auto& h3 = v.hypotheses[2];
  // BH with two tests: the larger p stays, the smaller becomes min(2 p, larger p)
  const double p_small = std::min(h1.p_value, h2.p_value), p_large = std::max(h1.p_value, h2.p_value);
  EXPECT_LT(h1.p_value, h2.p_value);
  EXPECT_DOUBLE_EQ(h1.q_value, std::min(2 * p_small, p_large));
  EXPECT_DOUBLE_EQ(h2.q_value, p_large);
  // H1: 20 of 40 gained: delta 0.5 >= 0.2, p = 2^-20 -> confirmed
  EXPECT_DOUBLE_EQ(h1.change.delta, 0.5);
  EXPECT_EQ(h1.decision.result, VerifyResult::kConfirmed);
  // H2: 4 of 40 gained: delta 0.1, p = 2^-4 = 0.0625 > fdr; upper bound below 0.2 -> refuted
  EXPECT_DOUBLE_EQ(h2.change.delta, 0.1);
  EXPECT_DOUBLE_EQ(h2.p_value, 0.0625);
  EXPECT_LT(h2.change.bounds.upper, 0.2);
  EXPECT_EQ(h2.decision.result, VerifyResult::kRefuted);
  // H3: the 200 "r" items, unchanged
  EXPECT_TRUE(h3.rest);
  EXPECT_EQ(h3.change.n, 200);
  EXPECT_EQ(h3.change.delta, 0.0);
  EXPECT_EQ(h3.decision.result, VerifyResult::kConfirmed);
  EXPECT_DOUBLE_EQ(h3.q_value, h3.p_value);
  EXPECT_EQ(v.verdict(), "inconclusive");
  EXPECT_EQ(v.overall.rule, "mixed");
  EXPECT_EQ(v.paired_items, 280);
}

TEST(VerificationTest, BenjaminiYekutieliIsMoreConservative) {
  auto make = [] {
    return input_for({target("H1", keys("a", 0, 40), 0.2), target("H2", keys("b", 0, 40), 0.2)}, outcomes(20, 4));
  };
  VerifyOptions by;
  by.fdr_method = FdrMethod::kBenjaminiYekutieli;
  const Verification bh = verify_plan(make(), VerifyOptions{});
  const Verification yek = verify_plan(make(), by);
  // c(2) = 1 + 1/2
  EXPECT_DOUBLE_EQ(yek.hypotheses[1].q_value, std::min(1.0, 1.5 * bh.hypotheses[1].q_value));
}

TEST(VerificationTest, AllTargetsConfirmedAndGuardsHoldingConfirms) {
  auto in = input_for({target("H1", keys("a", 0, 40), 0.2), target("H2", keys("b", 0, 40), 0.2), rest_guard("H3")},
                      outcomes(30, 25));
  const Verification v = verify_plan(in, VerifyOptions{});
  EXPECT_EQ(v.verdict(), "confirmed");
  EXPECT_EQ(v.overall.rule, "all_confirmed");
}

TEST(VerificationTest, RegressionOnTheRestRefutesWhateverTheTargetsDid) {
  auto items = outcomes(30, 25);
  for (auto& o : items) {
    if (o.key.rfind("r:", 0) == 0 && o.base_correct == 1 && std::stoi(o.key.substr(2)) % 4 == 0) o.cand_correct = 0;
  }
  auto in =
      input_for({target("H1", keys("a", 0, 40), 0.2), target("H2", keys("b", 0, 40), 0.2), rest_guard("H3")}, items);
  const Verification v = verify_plan(in, VerifyOptions{});
  const auto& guard = v.hypotheses[2];
  EXPECT_EQ(guard.change.lost_items.size(), 50u);  // r:0, r:4, ..., r:196
  EXPECT_DOUBLE_EQ(guard.change.delta, -0.25);
  EXPECT_EQ(guard.decision.result, VerifyResult::kRefuted);
  EXPECT_EQ(v.verdict(), "refuted");
  EXPECT_EQ(v.overall.rule, "guard_refuted");
}

TEST(VerificationTest, PlannedItemsMissingFromTheRunsAreCountedAndNoted) {
  auto planned = keys("a", 0, 40);
  planned.push_back("a:999");
  planned.push_back("a:998");
  auto in = input_for({target("H1", planned, 0.2), rest_guard("H2")}, outcomes(30, 0));
  in.only_in_baseline = 3;
  in.baseline = "someone-else";
  const Verification v = verify_plan(in, VerifyOptions{});
  EXPECT_EQ(v.hypotheses[0].items_missing, 2);
  EXPECT_EQ(v.hypotheses[0].change.n, 40);
  EXPECT_EQ(v.hypotheses[1].change.n, 240);  // "b" and "r" items
  ASSERT_EQ(v.notes.size(), 3u);
  EXPECT_NE(v.notes[0].find("neither run the plan was made from"), std::string::npos);
  EXPECT_NE(v.notes[1].find("3 items evaluated only by the baseline"), std::string::npos);
  EXPECT_NE(v.notes[2].find("H1: 2 of 42 planned items"), std::string::npos);
}

TEST(VerificationTest, OutputDoesNotDependOnTheOrderOfItems) {
  auto items = outcomes(20, 4);
  auto in =
      input_for({target("H1", keys("a", 0, 40), 0.2), target("H2", keys("b", 0, 40), 0.2), rest_guard("H3")}, items);
  const std::string first = verification_to_json(verify_plan(in, VerifyOptions{}));
  std::mt19937 rng(7);
  std::shuffle(in.items.begin(), in.items.end(), rng);
  EXPECT_EQ(verification_to_json(verify_plan(in, VerifyOptions{})), first);
}

TEST(VerificationTest, JsonCarriesTheEvidenceOfEveryHypothesis) {
  auto in = input_for({target("H1", keys("a", 0, 40), 0.2), rest_guard("H2")}, outcomes(20, 4));
  const std::string json = verification_to_json(verify_plan(in, VerifyOptions{}));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(json));
  EXPECT_EQ(std::string_view(doc["verdict"]), "confirmed");
  EXPECT_EQ(std::string_view(doc["baseline"]), "weak");
  EXPECT_EQ(std::string_view(doc["plan"]), "plan.json");
  auto hs = doc["hypotheses"].get_array();
  ASSERT_EQ(hs.size(), 2u);
  simdjson::dom::element h1 = hs.at(0);
  for (const char* field : {"id",
                            "kind",
                            "description",
                            "n",
                            "baseline_accuracy",
                            "candidate_accuracy",
                            "delta",
                            "ci",
                            "p_value",
                            "q_value",
                            "min_effect",
                            "result",
                            "rule",
                            "reason",
                            "items_lost",
                            "items_gained",
                            "lost_items",
                            "gained_items",
                            "test",
                            "alpha",
                            "items_missing"}) {
    EXPECT_FALSE(h1[field].error()) << field;
  }
  EXPECT_EQ(int64_t(h1["n"]), 40);
  EXPECT_EQ(int64_t(h1["items_gained"]), 20);
  EXPECT_EQ(h1["ci"].get_array().size(), 2u);
  simdjson::dom::element h2 = hs.at(1);
  EXPECT_EQ(std::string_view(h2["kind"]), "guard");
  EXPECT_EQ(std::string_view(h2["items_from"]), "rest");
  EXPECT_FALSE(h2["margin"].error());
  EXPECT_TRUE(h2["min_effect"].error());
  EXPECT_EQ(int64_t(doc["evidence"]["targets"]["confirmed"]), 1);

  const std::string md = render_verification_markdown(verify_plan(in, VerifyOptions{}));
  EXPECT_NE(md.find("**Verdict: `confirmed`**"), std::string::npos);
  EXPECT_NE(md.find("## Decision rules"), std::string::npos);
  EXPECT_NE(md.find("| H1 | target |"), std::string::npos);
}

Error error_of(const VerificationInput& in) {
  return testing::expect_error([&] { verify_plan(in, VerifyOptions{}); });
}

TEST(VerificationTest, MalformedPlansAndMismatchedRunsGiveClearErrors) {
  auto bad_kind = target("H1", keys("a", 0, 4), 0.2);
  bad_kind.kind = "hope";
  Error e = error_of(input_for({bad_kind}, outcomes(1, 1)));
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "plan.json");
  EXPECT_EQ(e.where().field, "/hypotheses/0/kind");

  auto empty_guard = rest_guard("H2");
  empty_guard.slice_tags = {"geometry"};
  e = error_of(input_for({target("H1", keys("a", 0, 4), 0.2), empty_guard}, outcomes(1, 1)));
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().field, "/hypotheses/1/items");

  e = error_of(input_for({target("H1", keys("gsm8k", 0, 4), 0.2), rest_guard("H2")}, outcomes(1, 1)));
  EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  EXPECT_NE(e.message().find("none of the plan's 4 target items"), std::string::npos) << e.message();

  e = error_of(input_for({}, outcomes(1, 1)));
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().field, "/hypotheses");

  auto bad_alpha = target("H1", keys("a", 0, 4), 0.2);
  bad_alpha.alpha = 0.7;
  e = error_of(input_for({bad_alpha}, outcomes(1, 1)));
  EXPECT_EQ(e.where().field, "/hypotheses/0/alpha");

  auto dup = outcomes(1, 1);
  dup.push_back(dup.front());
  e = error_of(input_for({target("H1", keys("a", 0, 4), 0.2)}, dup));
  EXPECT_NE(e.message().find("occurs twice"), std::string::npos);
}

}  // namespace
}  // namespace caploop
