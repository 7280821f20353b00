// `caploop verify` on runs derived from real model outputs (Qwen2.5-Math on 100 MATH problems, 8 samples each;
// see derived_math_runs.h). The target slice is the 40 problems that ask for a count or a probability
// ("probability", "how many", "ways"); the plan expects them to improve by at least the minimum effect a
// 40-item paired comparison can detect, and guards every other item ("rest") with a 2-point margin.
//   before     the slice made weak: 5 of 8 samples of each slice problem answer wrongly
//   improved   after training as planned: 5 or 6 of 8 samples give the gold answer, the others a wrong one
//   unchanged  as weak as before (5 of 8 wrong, other samples), i.e. training did nothing for the slice
//   partial    14 of the 40 problems now always right, the other 26 as weak as before
//   regressed  the slice improved, but 3 of 8 samples of every other problem now answer wrongly
// In every "after" run, 3 rest problems (idx % 20 == 0) lose one sample, so the guard is not trivially flat.
// Control runs (the model trained as long on the plan's control mixture, i.e. without the targeting):
//   control_equal  the slice improved as much as in "improved" (5 or 6 of 8 right, the odd/even pattern swapped),
//                  the rest untouched: extra training alone explains the gain
//   control_small  the slice gained one sample of 8 (4 of 8 wrong instead of 5), the rest untouched
//   strong         a targeted run whose slice problems are all right now (8 of 8), rest noise as above
// Expected accuracies come from the source's own correctness flags and the rewrites, not from caploop.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>

#include "derived_math_runs.h"
#include "mixture/control_arm.h"
#include "mixture/mixture_plan.h"
#include "stats/paired_power.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::Derivation;
using testing::MathRecord;
using testing::Rewrite;

struct Scenario {
  std::vector<MathRecord> records;
  std::set<int64_t> slice;  // idx of target problems
  std::vector<int64_t> slice_order;
  double planned_baseline = 0.0;
  double min_effect = 0.0;
};

bool in_slice(const Scenario& s, const MathRecord& r) { return s.slice.count(r.idx) > 0; }

int64_t slice_position(const Scenario& s, const MathRecord& r) {
  return std::find(s.slice_order.begin(), s.slice_order.end(), r.idx) - s.slice_order.begin();
}

// Improved as planned: 6 (even positions in the slice) or 5 (odd) of 8 samples give the gold answer.
Rewrite improved_slice(const Scenario& s, const MathRecord& r, size_t sample) {
  const size_t wrong = slice_position(s, r) % 2 == 0 ? 2 : 3;
  return sample < wrong ? Rewrite::kWrong : Rewrite::kGold;
}

Rewrite rest_noise(const MathRecord& r, size_t sample) {
  return r.idx % 20 == 0 && sample == 7 ? Rewrite::kWrong : Rewrite::kKeep;
}

class DerivedRunsVerifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_shared_data()) return;
    tmp_ = new testing::TempDir();
    s_ = new Scenario();
    Scenario& s = *s_;
    s.records = testing::read_math_records(testing::qwen_math_file());
    const std::regex counting("probability|how many|ways", std::regex::icase);
    for (const MathRecord& r : s.records) {
      if (std::regex_search(r.question, counting)) {
        s.slice.insert(r.idx);
        s.slice_order.push_back(r.idx);
      }
    }
    const Scenario* sp = s_;
    derivations_ = new std::map<std::string, Derivation>{
        {"before",
         [sp](const MathRecord& r, size_t k) { return in_slice(*sp, r) && k < 5 ? Rewrite::kWrong : Rewrite::kKeep; }},
        {"improved",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return rest_noise(r, k);
           return improved_slice(*sp, r, k);
         }},
        {"unchanged",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return rest_noise(r, k);
           return k >= 1 && k <= 5 ? Rewrite::kWrong : Rewrite::kKeep;
         }},
        {"partial",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return rest_noise(r, k);
           if (slice_position(*sp, r) % 20 < 7) return Rewrite::kGold;
           return k < 5 ? Rewrite::kWrong : Rewrite::kKeep;
         }},
        {"control_equal",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return Rewrite::kKeep;
           const size_t wrong = slice_position(*sp, r) % 2 == 0 ? 3 : 2;
           return k < wrong ? Rewrite::kWrong : Rewrite::kGold;
         }},
        {"control_small",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return Rewrite::kKeep;
           return k < 4 ? Rewrite::kWrong : Rewrite::kKeep;
         }},
        {"strong",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return rest_noise(r, k);
           return Rewrite::kGold;
         }},
        {"regressed",
         [sp](const MathRecord& r, size_t k) {
           if (!in_slice(*sp, r)) return k < 3 ? Rewrite::kWrong : Rewrite::kKeep;
           return improved_slice(*sp, r, k);
         }},
    };
    db_ = new std::string((tmp_->path() / "w.db").string());
    for (const auto& [name, derive] : *derivations_) {
      const fs::path file = tmp_->path() / (name + ".jsonl");
      testing::write_derived_run(s.records, derive, file);
      auto r = testing::run_caploop(testing::ingest_math_args(*db_, name, file));
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    // The plan, as `caploop plan` would state it: the slice's items, its accuracy in the weak run, and the
    // smallest improvement 40 paired items detect at one-sided alpha 0.05 and power 0.8 (discordance rate
    // estimated as 2 p (1 - p) from the baseline accuracy p).
    double sum = 0;
    for (const MathRecord& r : s.records) {
      if (in_slice(s, r)) sum += testing::expected_accuracy(r, derivations_->at("before"));
    }
    s.planned_baseline = sum / static_cast<double>(s.slice.size());
    const double psi = 2 * s.planned_baseline * (1 - s.planned_baseline);
    s.min_effect = paired_proportion_minimum_detectable_effect(static_cast<int64_t>(s.slice.size()), psi,
                                                               PowerTarget{0.05, 0.8, false});
    MixturePlan plan;
    plan.weakness_kind = "diagnosis";
    plan.verdict = Verdict::kDataRuledIn;
    plan.baseline = "qwen";
    plan.candidate = "before";
    PlanHypothesis target;
    target.id = "H1";
    target.kind = "target";
    target.description = "counting and probability problems improve";
    target.slice_tags = {"operation=counting.case_enumeration"};
    for (int64_t idx : s.slice_order) target.items.push_back("math:" + std::to_string(idx));
    target.n = static_cast<int64_t>(target.items.size());
    target.baseline_accuracy = s.planned_baseline;
    target.min_effect = s.min_effect;
    target.streams = {"target:math_subfield__counting_probability"};
    PlanHypothesis guard;
    guard.id = "H2";
    guard.kind = "guard";
    guard.description = "every other item of the runs";
    guard.slice_tags = {"rest"};
    guard.margin = 0.02;
    plan.hypotheses = {target, guard};
    plan.control = plan_control_arm(plan, nullptr);  // no corpus here: only its expectations matter
    plan_path_ = new std::string((tmp_->path() / "plan.json").string());
    testing::write_file(*plan_path_, plan_to_json(plan));
  }

  static void TearDownTestSuite() {
    delete derivations_;
    delete s_;
    delete db_;
    delete plan_path_;
    delete tmp_;
  }

  void SetUp() override { REQUIRE_SHARED_DATA(); }

  // Runs verify and parses its JSON (kept alive in parser_).
  simdjson::dom::element verify(const std::string& baseline, const std::string& candidate,
                                const std::string& control = "") {
    std::vector<std::string> args = {"--db",       *db_,     "verify",      "--plan",  *plan_path_,
                                     "--baseline", baseline, "--candidate", candidate, "--json"};
    if (!control.empty()) args.insert(args.end(), {"--control", control});
    auto r = testing::run_caploop(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json_ = simdjson::padded_string(r.out);
    simdjson::dom::element v = parser_.parse(json_);
    std::cout << candidate << ": " << std::string_view(v["verdict"]) << "\n";
    for (auto h : v["hypotheses"]) {
      std::cout << "  " << std::string_view(h["id"]) << " " << std::string_view(h["reason"]) << "\n";
      std::cout << "    exact interval vs baseline [" << double(h["exact_ci"].at(0)) << ", "
                << double(h["exact_ci"].at(1)) << "]";
      if (!h["against_control"].is_null())
        std::cout << ", control gain " << double(h["control_gain"]["delta"]) << ", exact interval vs control ["
                  << double(h["against_control"]["exact_ci"].at(0)) << ", "
                  << double(h["against_control"]["exact_ci"].at(1)) << "]";
      std::cout << "\n";
    }
    return v;
  }

  // Expected slice (or rest) accuracy of a run from the source's flags and the rewrites.
  double expected(const std::string& run, bool slice) const {
    double sum = 0;
    int n = 0;
    for (const MathRecord& r : s_->records) {
      if (in_slice(*s_, r) != slice) continue;
      sum += testing::expected_accuracy(r, derivations_->at(run));
      ++n;
    }
    return sum / n;
  }

  static testing::TempDir* tmp_;
  static Scenario* s_;
  static std::map<std::string, Derivation>* derivations_;
  static std::string* db_;
  static std::string* plan_path_;
  simdjson::dom::parser parser_;
  simdjson::padded_string json_;
};

testing::TempDir* DerivedRunsVerifyTest::tmp_ = nullptr;
Scenario* DerivedRunsVerifyTest::s_ = nullptr;
std::map<std::string, Derivation>* DerivedRunsVerifyTest::derivations_ = nullptr;
std::string* DerivedRunsVerifyTest::db_ = nullptr;
std::string* DerivedRunsVerifyTest::plan_path_ = nullptr;

double num(simdjson::dom::element e) { return e.is_int64() ? double(int64_t(e)) : double(e); }

TEST_F(DerivedRunsVerifyTest, TheScenarioIsWhatTheTestsAssume) {
  EXPECT_EQ(s_->slice.size(), 40u);
  // the weak slice: at most 3 of 8 samples right
  EXPECT_LE(s_->planned_baseline, 3.0 / 8.0);
  EXPECT_GT(s_->planned_baseline, 0.3);
  EXPECT_GT(s_->min_effect, 0.2);
  EXPECT_LT(s_->min_effect, 0.35);
}

TEST_F(DerivedRunsVerifyTest, ImprovementByThePlannedAmountIsConfirmed) {
  simdjson::dom::element v = verify("before", "improved");
  auto h1 = v["hypotheses"].at(0);
  auto h2 = v["hypotheses"].at(1);
  const double want_delta = expected("improved", true) - expected("before", true);
  // the rewrites improve the slice by about the planned amount: 5.5 of 8 samples right instead of at most 3
  EXPECT_GE(want_delta, s_->min_effect);
  EXPECT_LT(want_delta, s_->min_effect + 0.1);
  EXPECT_EQ(int64_t(h1["n"]), 40);
  EXPECT_EQ(std::string_view(h1["test"]), "paired_t");
  EXPECT_NEAR(num(h1["baseline_accuracy"]), expected("before", true), 0.02);
  EXPECT_NEAR(num(h1["delta"]), want_delta, 0.02);
  EXPECT_LE(num(h1["q_value"]), 0.05);
  EXPECT_EQ(std::string_view(h1["result"]), "confirmed") << std::string_view(h1["reason"]);
  EXPECT_EQ(std::string_view(h1["rule"]), "significant_improvement");
  // rest: 60 problems, 3 of which lose one sample of 8: delta = -3/8/60 from the rewrites alone
  EXPECT_EQ(int64_t(h2["n"]), 60);
  EXPECT_NEAR(num(h2["delta"]), expected("improved", false) - expected("before", false), 1e-9);
  EXPECT_NEAR(num(h2["delta"]), -0.375 / 60, 1e-9);
  EXPECT_EQ(int64_t(h2["items_lost"]), 3);
  EXPECT_GT(num(h2["ci"].at(0)), -0.02);
  EXPECT_EQ(std::string_view(h2["result"]), "confirmed") << std::string_view(h2["reason"]);
  EXPECT_EQ(std::string_view(v["verdict"]), "confirmed");
}

TEST_F(DerivedRunsVerifyTest, UnchangedSliceIsRefutedBecauseItsUpperBoundIsBelowThePlannedEffect) {
  simdjson::dom::element v = verify("before", "unchanged");
  auto h1 = v["hypotheses"].at(0);
  const double want_delta = expected("unchanged", true) - expected("before", true);
  EXPECT_LT(std::fabs(want_delta), 0.05);  // same number of wrong samples, other samples: ~no change
  EXPECT_NEAR(num(h1["delta"]), want_delta, 0.02);
  // Why refuted and not inconclusive: 40 items whose accuracy moves by at most a sample or two give an upper
  // bound a few points above delta, far below the ~26-point effect the plan expects.
  EXPECT_LT(num(h1["ci"].at(1)), s_->min_effect);
  EXPECT_EQ(std::string_view(h1["result"]), "refuted") << std::string_view(h1["reason"]);
  EXPECT_EQ(std::string_view(h1["rule"]), "upper_bound_below_min_effect");
  EXPECT_EQ(std::string_view(v["verdict"]), "refuted");
  EXPECT_EQ(std::string_view(v["rule"]), "all_targets_refuted");
}

TEST_F(DerivedRunsVerifyTest, ImprovementShortOfThePlanIsInconclusiveWhileItsBoundStillAllowsThePlan) {
  simdjson::dom::element v = verify("before", "partial");
  auto h1 = v["hypotheses"].at(0);
  const double want_delta = expected("partial", true) - expected("before", true);
  EXPECT_NEAR(num(h1["delta"]), want_delta, 0.02);
  // 14 of 40 problems gain ~5/8 each, the others nothing: delta ~ 14/40 x 5/8 = 0.22, clearly below the planned
  // ~0.26; the per-item gains are all-or-nothing, so the spread is wide and the upper bound clearly above it.
  // Significant, smaller than planned, upper bound above the planned effect: neither rule applies.
  EXPECT_LE(num(h1["q_value"]), 0.05);
  EXPECT_LT(num(h1["delta"]), s_->min_effect - 0.02);
  EXPECT_GT(num(h1["ci"].at(1)), s_->min_effect + 0.02);
  EXPECT_EQ(std::string_view(h1["result"]), "inconclusive") << std::string_view(h1["reason"]);
  EXPECT_EQ(std::string_view(v["verdict"]), "inconclusive");
}

TEST_F(DerivedRunsVerifyTest, RegressionOnTheRestIsAGuardRegressionAndRefutesTheWhole) {
  simdjson::dom::element v = verify("before", "regressed");
  auto h1 = v["hypotheses"].at(0);
  auto h2 = v["hypotheses"].at(1);
  EXPECT_EQ(std::string_view(h1["result"]), "confirmed");  // the slice did improve ...
  const double want_delta = expected("regressed", false) - expected("before", false);
  EXPECT_LT(want_delta, -0.25);  // ... but every other problem lost up to 3 of its 8 samples
  EXPECT_NEAR(num(h2["delta"]), want_delta, 0.02);
  EXPECT_LT(num(h2["ci"].at(1)), -0.02);
  EXPECT_EQ(std::string_view(h2["result"]), "refuted");
  EXPECT_EQ(std::string_view(h2["rule"]), "upper_bound_below_margin");
  EXPECT_GT(int64_t(h2["items_lost"]), 40);
  EXPECT_EQ(std::string_view(v["verdict"]), "refuted");
  EXPECT_EQ(std::string_view(v["rule"]), "guard_refuted");
}

TEST_F(DerivedRunsVerifyTest, WithoutAControlTheOutputSaysTheGainCannotBeAttributedToTheData) {
  simdjson::dom::element v = verify("before", "improved");
  EXPECT_TRUE(v["control"].is_null());
  EXPECT_EQ(std::string_view(v["attribution"]), "none");
  EXPECT_NE(std::string_view(v["attribution_note"]).find("cannot be attributed to the targeted data"),
            std::string_view::npos);
  EXPECT_TRUE(v["hypotheses"].at(0)["against_control"].is_null());
  EXPECT_EQ(simdjson::dom::array(v["control_expectations"]).size(), 0u);
}

TEST_F(DerivedRunsVerifyTest, AControlThatGainedAsMuchMeansTheTargetIsNotConfirmed) {
  simdjson::dom::element v = verify("before", "improved", "control_equal");
  EXPECT_EQ(std::string_view(v["control"]), "control_equal");
  EXPECT_EQ(std::string_view(v["attribution"]), "control");
  auto h1 = v["hypotheses"].at(0);
  // against the model before retraining the slice gained the planned amount: confirmed, as without a control
  EXPECT_EQ(std::string_view(h1["against_baseline"]["result"]), "confirmed");
  const double want_gain = expected("control_equal", true) - expected("before", true);
  EXPECT_GE(want_gain, s_->min_effect);  // the control gained as much as planned ...
  EXPECT_NEAR(num(h1["control_gain"]["delta"]), want_gain, 1e-9);
  // ... and the targeted run is level with it: the same number of right samples per slice problem on average
  const double want_vs_control = expected("improved", true) - expected("control_equal", true);
  EXPECT_LT(std::fabs(want_vs_control), 0.02);
  auto k = h1["against_control"];
  EXPECT_EQ(int64_t(k["n"]), 40);
  EXPECT_NEAR(num(k["delta"]), want_vs_control, 1e-9);
  EXPECT_NEAR(num(k["control_accuracy"]), expected("control_equal", true), 1e-9);
  EXPECT_LT(num(k["exact_ci"].at(1)), s_->min_effect);
  EXPECT_LE(num(k["exact_ci"].at(0)), want_vs_control);
  EXPECT_GE(num(k["exact_ci"].at(1)), want_vs_control);
  EXPECT_EQ(std::string_view(k["result"]), "refuted");
  EXPECT_NE(std::string_view(h1["result"]), "confirmed");
  EXPECT_EQ(std::string_view(h1["rule"]), "control_gained_as_much");
  EXPECT_NE(std::string_view(v["verdict"]), "confirmed");
  // the plan's own expectation for the control arm (C1: the control gains less than H1's planned effect) fails
  auto c1 = v["control_expectations"].at(0);
  EXPECT_EQ(std::string_view(c1["id"]), "C1");
  EXPECT_EQ(std::string_view(c1["of"]), "H1");
  EXPECT_EQ(std::string_view(c1["result"]), "refuted");
}

TEST_F(DerivedRunsVerifyTest, ATargetedRunThatBeatsTheControlByThePlannedEffectIsConfirmed) {
  simdjson::dom::element v = verify("before", "strong", "control_small");
  auto h1 = v["hypotheses"].at(0);
  auto h2 = v["hypotheses"].at(1);
  const double want_vs_control = expected("strong", true) - expected("control_small", true);
  EXPECT_GE(want_vs_control, s_->min_effect);
  EXPECT_GT(expected("control_small", true), expected("before", true));  // the control gained a little too
  auto k = h1["against_control"];
  EXPECT_NEAR(num(k["delta"]), want_vs_control, 1e-9);
  EXPECT_GT(num(k["exact_ci"].at(0)), 0.0);
  EXPECT_LE(num(k["q_value"]), 0.05);
  EXPECT_EQ(std::string_view(k["result"]), "confirmed");
  EXPECT_EQ(std::string_view(h1["result"]), "confirmed") << std::string_view(h1["reason"]);
  EXPECT_EQ(std::string_view(h1["rule"]), "beats_control");
  EXPECT_EQ(std::string_view(v["control_expectations"].at(0)["result"]), "confirmed");  // +11.9 < +25.9 planned
  EXPECT_EQ(std::string_view(v["control_expectations"].at(1)["kind"]), "guard");
  // the guard compares the rest against the control too: 3 of 60 problems lost one sample of 8 against both
  EXPECT_EQ(int64_t(h2["against_control"]["n"]), 60);
  EXPECT_NEAR(num(h2["against_control"]["delta"]), expected("strong", false) - expected("control_small", false), 1e-9);
  EXPECT_EQ(std::string_view(h2["against_control"]["result"]), "confirmed");
  EXPECT_EQ(std::string_view(h2["result"]), "confirmed");
  EXPECT_EQ(std::string_view(v["verdict"]), "confirmed");
}

TEST_F(DerivedRunsVerifyTest, AGuardRegressionIsRefutedAgainstTheControlToo) {
  // "regressed" lost up to 3 of 8 samples on every rest problem; against the control the loss is the same
  simdjson::dom::element v = verify("before", "regressed", "control_small");
  auto h2 = v["hypotheses"].at(1);
  EXPECT_EQ(std::string_view(h2["against_control"]["result"]), "refuted");
  EXPECT_EQ(std::string_view(h2["result"]), "refuted");
  EXPECT_EQ(std::string_view(v["verdict"]), "refuted");
}

}  // namespace
}  // namespace caploop
