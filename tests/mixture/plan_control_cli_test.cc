// `caploop plan` and its control arm, metric and small-sample options end to end on the real tagged test corpus:
// the control arm is written by default with the corpus's own proportions and the same budget, --no-control
// omits it, --control-mixture sets it (a bad file exits 3 naming line and key), --metric / --slice-metric choose
// pass@k per target, and a plan without a control arm still parses (older plans).
#include <gtest/gtest.h>

#include <cmath>

#include "mixture/mixture_plan.h"
#include "plan_fixture.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::read_file;
using testing::run_caploop;
using testing::weak_slice;

struct PlanRun {
  testing::TempDir tmp;
  std::vector<std::string> args;
};

std::vector<std::string> plan_args(const testing::TempDir& tmp) {
  const auto diagnosis = tmp / "diagnosis.json";
  testing::write_file(
      diagnosis, testing::diagnosis_json("data_ruled_in", "",
                                         {weak_slice("S1", {"operation=counting.case_enumeration"}, 120, 0.15, 0.4),
                                          weak_slice("S2", {"output=option_letter"}, 50, 0.1, 0.6)}));
  return {"-q",
          "plan",
          "--diagnosis",
          diagnosis.string(),
          "--stats",
          testing::tagged_corpus_stats_dir().string(),
          "--budget-tokens",
          "400000",
          "--out",
          (tmp / "plan.json").string()};
}

TEST(PlanControlCli, TheControlArmKeepsTheBudgetInTheCorpusProportions) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  auto args = plan_args(tmp);
  args.insert(args.end(), {"--markdown", (tmp / "plan.md").string()});
  auto r = run_caploop(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = read_file(tmp / "plan.md");
  EXPECT_NE(md.find("## Control arm"), std::string::npos) << md;
  EXPECT_NE(md.find("| C1 | bounded |"), std::string::npos) << md;
  const MixturePlan plan = parse_plan(read_file(tmp / "plan.json"), "plan.json");
  ASSERT_TRUE(plan.control.has_value());
  EXPECT_EQ(plan.control->mixture, "natural");
  EXPECT_EQ(plan.control->budget_tokens, 400000);
  int64_t sum = 0;
  for (const PlanStream& s : plan.control->streams) {
    sum += s.quota_tokens;
    const double want = 400000.0 * static_cast<double>(s.available_tokens) / static_cast<double>(plan.corpus.tokens);
    EXPECT_LE(std::fabs(static_cast<double>(s.quota_tokens) - want), 1.0) << s.name;
    EXPECT_EQ(s.name.rfind("base:", 0), 0u);
  }
  EXPECT_EQ(sum, 400000);
  ASSERT_EQ(plan.control->expectations.size(), plan.hypotheses.size());
  EXPECT_EQ(plan.control->expectations[0].kind, "bounded");
  EXPECT_EQ(plan.control->expectations[0].min_effect, plan.hypotheses[0].min_effect);

  // --no-control: no "control" key at all, as plans written before the control arm
  std::vector<std::string> none = args;
  none.push_back("--no-control");
  ASSERT_EQ(run_caploop(none).exit_code, 0);
  const std::string without = read_file(tmp / "plan.json");
  EXPECT_EQ(without.find("\"control\""), std::string::npos);
  EXPECT_FALSE(parse_plan(without, "plan.json").control.has_value());
  EXPECT_EQ(read_file(tmp / "plan.md").find("## Control arm"), std::string::npos);
}

TEST(PlanControlCli, AMixtureFileSetsTheControlAndABadOneIsNamed) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  auto args = plan_args(tmp);
  args.insert(args.end(), {"--max-epochs", "1000"});  // a small corpus: this test is about the shares
  ASSERT_EQ(run_caploop(args).exit_code, 0);
  const MixturePlan natural = parse_plan(read_file(tmp / "plan.json"), "plan.json");
  std::string first, second;
  for (const PlanStream& s : natural.streams) {
    if (s.kind != StreamKind::kBase || s.available_tokens < 1000) continue;
    (first.empty() ? first : second) = s.tags[0];
    if (!second.empty()) break;
  }
  ASSERT_FALSE(second.empty());
  const auto mixture = tmp / "mixture.toml";
  testing::write_file(mixture, first + " = 0.5\n" + second + " = 0.5\n");
  auto with = args;
  with.insert(with.end(), {"--control-mixture", mixture.string()});
  auto r = run_caploop(with);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const MixturePlan plan = parse_plan(read_file(tmp / "plan.json"), "plan.json");
  ASSERT_TRUE(plan.control.has_value());
  EXPECT_EQ(plan.control->mixture, mixture.string());
  for (const PlanStream& s : plan.control->streams)
    EXPECT_NEAR(s.share, s.tags[0] == first || s.tags[0] == second ? 0.5 : 0.0, 1e-5) << s.name;
  testing::write_file(mixture, first + " = 0.5\nsource__nowhere = 0.5\n");
  r = run_caploop(with);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("mixture.toml:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("source__nowhere"), std::string::npos) << r.err;
}

TEST(PlanControlCli, MetricsArePassAtKForAllTargetsOrOneSlice) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  auto args = plan_args(tmp);
  auto all = args;
  all.insert(all.end(), {"--metric", "pass@8"});
  ASSERT_EQ(run_caploop(all).exit_code, 0);
  MixturePlan plan = parse_plan(read_file(tmp / "plan.json"), "plan.json");
  for (const PlanHypothesis& h : plan.hypotheses) EXPECT_EQ(h.metric, h.kind == "target" ? "pass@8" : "accuracy");
  auto one = args;
  one.insert(one.end(), {"--slice-metric", "S1=pass@4"});
  ASSERT_EQ(run_caploop(one).exit_code, 0);
  plan = parse_plan(read_file(tmp / "plan.json"), "plan.json");
  ASSERT_GE(plan.hypotheses.size(), 2u);
  EXPECT_EQ(plan.hypotheses[0].metric, "pass@4");
  EXPECT_NE(plan.hypotheses[0].description.find("pass@4"), std::string::npos) << plan.hypotheses[0].description;
  auto bad = args;
  bad.insert(bad.end(), {"--metric", "pass@0"});
  EXPECT_EQ(run_caploop(bad).exit_code, 2);
  auto unknown = args;
  unknown.insert(unknown.end(), {"--slice-metric", "S9=pass@2"});
  EXPECT_EQ(run_caploop(unknown).exit_code, 2);
}

}  // namespace
}  // namespace caploop
