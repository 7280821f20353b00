// `caploop verify` as outside checks call it: JSON shape, files written, exit codes. Runs are single-sample
// runs derived from the real Qwen2.5-Math MATH outputs (first sample of each problem; derived_math_runs.h):
// in "weak" the 40 counting/probability problems answer wrongly, in "retrained" 30 of them give the gold
// answer; the other 60 problems are unchanged.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <regex>

#include "derived_math_runs.h"
#include "mixture/mixture_plan.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::MathRecord;
using testing::Rewrite;
using testing::run_caploop;

class VerifyCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_SHARED_DATA();
    const auto records = testing::read_math_records(testing::qwen_math_file());
    const std::regex counting("probability|how many|ways", std::regex::icase);
    std::set<int64_t> slice;
    for (const MathRecord& r : records) {
      if (std::regex_search(r.question, counting)) slice.insert(r.idx);
    }
    ASSERT_EQ(slice.size(), 40u);
    testing::write_derived_run(
        records, [&](const MathRecord& r, size_t) { return slice.count(r.idx) ? Rewrite::kWrong : Rewrite::kKeep; },
        tmp_ / "weak.jsonl", 1);
    int kept = 0;
    std::set<int64_t> improved;
    for (int64_t idx : slice) {
      if (kept++ % 4 != 0) improved.insert(idx);
    }
    testing::write_derived_run(
        records,
        [&](const MathRecord& r, size_t) {
          if (!slice.count(r.idx)) return Rewrite::kKeep;
          return improved.count(r.idx) ? Rewrite::kGold : Rewrite::kWrong;
        },
        tmp_ / "retrained.jsonl", 1);
    db_ = (tmp_ / "w.db").string();
    for (const char* run : {"weak", "retrained"}) {
      auto r = run_caploop(testing::ingest_math_args(db_, run, tmp_ / (std::string(run) + ".jsonl"), true));
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    MixturePlan plan;
    plan.candidate = "weak";
    PlanHypothesis target;
    target.id = "H1";
    target.kind = "target";
    for (int64_t idx : slice) target.items.push_back("math:" + std::to_string(idx));
    target.n = 40;
    target.min_effect = 0.3;
    PlanHypothesis guard;
    guard.id = "H2";
    guard.kind = "guard";
    guard.slice_tags = {"rest"};
    guard.margin = 0.02;
    plan.hypotheses = {target, guard};
    plan_ = (tmp_ / "plan.json").string();
    testing::write_file(plan_, plan_to_json(plan));
  }

  std::vector<std::string> verify_args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> a = {"--db",       db_,    "verify",      "--plan",   plan_,
                                  "--baseline", "weak", "--candidate", "retrained"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  testing::TempDir tmp_;
  std::string db_, plan_;
};

TEST_F(VerifyCliTest, SingleSampleRunsAreTestedWithMcNemarAndTheJsonHasTheDocumentedFields) {
  auto r =
      run_caploop(verify_args({"--json", "--out", (tmp_ / "v.json").string(), "--markdown", (tmp_ / "v.md").string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::read_file(tmp_ / "v.json"), r.out);
  EXPECT_NE(testing::read_file(tmp_ / "v.md").find("# Verification: weak → retrained"), std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::element v = parser.parse(simdjson::padded_string(r.out));
  EXPECT_EQ(std::string_view(v["baseline"]), "weak");
  EXPECT_EQ(std::string_view(v["candidate"]), "retrained");
  EXPECT_EQ(std::string_view(v["scoring_rule"]), "math");
  auto h1 = v["hypotheses"].at(0);
  EXPECT_EQ(std::string_view(h1["id"]), "H1");
  EXPECT_EQ(std::string_view(h1["kind"]), "target");
  EXPECT_EQ(std::string_view(h1["test"]), "mcnemar_exact");
  EXPECT_EQ(int64_t(h1["n"]), 40);
  // 30 gained, none lost: delta 0.75, one-sided McNemar p = 2^-30
  EXPECT_EQ(int64_t(h1["items_gained"]), 30);
  EXPECT_EQ(int64_t(h1["items_lost"]), 0);
  EXPECT_DOUBLE_EQ(double(h1["delta"]), 0.75);
  EXPECT_NEAR(double(h1["p_value"]), std::ldexp(1.0, -30), 1e-15);
  EXPECT_EQ(std::string_view(h1["result"]), "confirmed");
  // The 60 other problems are unchanged, yet the guard cannot be confirmed: with no discordant pair among 60
  // single-sample items the Agresti-Min lower bound is -z_0.95 / (60 + 2) = -2.65 points, below -2 points.
  auto h2 = v["hypotheses"].at(1);
  EXPECT_EQ(int64_t(h2["n"]), 60);
  EXPECT_EQ(double(h2["delta"]), 0.0);
  EXPECT_NEAR(double(h2["ci"].at(0)), -1.6448536269514722 / 62, 1e-9);
  EXPECT_EQ(std::string_view(h2["result"]), "inconclusive");
  EXPECT_EQ(std::string_view(v["verdict"]), "inconclusive");
  EXPECT_EQ(std::string_view(v["rule"]), "mixed");

  // same input, same bytes
  EXPECT_EQ(run_caploop(verify_args({"--json"})).out, r.out);
  // the terminal summary names the verdict and each hypothesis
  auto text = run_caploop(verify_args());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("verdict: inconclusive"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("H2:"), std::string::npos);
}

TEST_F(VerifyCliTest, BadInputGivesTheUsualExitCodes) {
  auto unknown = run_caploop({"--db", db_, "verify", "--plan", plan_, "--baseline", "weak", "--candidate", "nope"});
  EXPECT_EQ(unknown.exit_code, 4) << unknown.err;
  EXPECT_NE(unknown.err.find("nope"), std::string::npos);

  auto missing = run_caploop({"--db", db_, "verify", "--plan", (tmp_ / "absent.json").string(), "--baseline", "weak",
                              "--candidate", "retrained"});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;

  testing::write_file(tmp_ / "broken.json", "{\"format\": \"caploop-plan\", ");
  auto broken = run_caploop({"--db", db_, "verify", "--plan", (tmp_ / "broken.json").string(), "--baseline", "weak",
                             "--candidate", "retrained"});
  EXPECT_EQ(broken.exit_code, 3) << broken.err;
  EXPECT_NE(broken.err.find("broken.json"), std::string::npos);

  testing::write_file(tmp_ / "other.json", "{\"format\": \"caploop-diagnosis\"}");
  EXPECT_EQ(run_caploop({"--db", db_, "verify", "--plan", (tmp_ / "other.json").string(), "--baseline", "weak",
                         "--candidate", "retrained"})
                .exit_code,
            3);

  // a plan about other items than the runs evaluated
  MixturePlan foreign;
  PlanHypothesis h;
  h.id = "H1";
  h.kind = "target";
  h.items = {"date_understanding:1", "date_understanding:2"};
  foreign.hypotheses = {h};
  testing::write_file(tmp_ / "foreign.json", plan_to_json(foreign));
  auto conflict = run_caploop({"--db", db_, "verify", "--plan", (tmp_ / "foreign.json").string(), "--baseline", "weak",
                               "--candidate", "retrained"});
  EXPECT_EQ(conflict.exit_code, 5) << conflict.err;
  EXPECT_NE(conflict.err.find("none of the plan's 2 target items"), std::string::npos) << conflict.err;

  EXPECT_EQ(run_caploop(verify_args({"--fdr", "1.5"})).exit_code, 2);
  EXPECT_EQ(run_caploop(verify_args({"--fdr-method", "holm"})).exit_code, 2);
  EXPECT_EQ(run_caploop({"--db", db_, "verify", "--baseline", "weak", "--candidate", "retrained"}).exit_code, 2);
}

}  // namespace
}  // namespace caploop
