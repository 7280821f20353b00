// caploop's default scoring against the harness's own scores, on real-format outputs built from OpenAI's real
// GSM8K model solutions: Inspect AI logs (tests/io/make_inspect_logs.py, answered "ANSWER: N" and scored as
// Inspect's gsm8k task does) and an OpenCompass work folder (tests/io/make_opencompass_outputs.py, evaluated as
// OpenCompass's gsm8k evaluator does). The accuracy must be within 1 point of the harness's aggregate, and the
// responses must agree one by one, through the caploop program as a user runs it, read back from the workspace.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>

#include "io/inspect_logs.h"
#include "io/opencompass_outputs.h"
#include "store/harness_metrics.h"
#include "store/workspace_db.h"
#include "test_support.h"

namespace caploop {
namespace {

struct Agreement {
  int64_t responses = 0;
  int64_t agreeing = 0;
};

// Per response of `run`: does the harness's `metric` (1 or 0) equal caploop's `correct` under the gsm8k rule?
Agreement item_agreement(WorkspaceDb& ws, const std::string& run, const std::string& metric) {
  RunRow row = ws.run_or_throw(run);
  auto metrics = read_harness_metrics(ws, row.id);
  Statement st(ws.db(),
               "SELECT r.id, s.correct FROM responses r JOIN scores s ON s.response_id = r.id "
               "WHERE r.run_id = ? AND s.rule = 'gsm8k'");
  st.bind(1, row.id);
  Agreement a;
  while (st.step()) {
    ++a.responses;
    const auto& values = metrics.at(st.int64(0));
    EXPECT_EQ(values.size(), 1u);
    if (values.size() == 1 && values[0].first == metric && (values[0].second == 1.0) == (st.int64(1) == 1)) {
      ++a.agreeing;
    }
  }
  return a;
}

TEST(HarnessAgreement, DefaultGsm8kRuleAgreesWithInspectsMatchScorer) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  std::string db = (tmp / "w.db").string();
  const auto& logs = testing::inspect_logs_dir();
  for (auto [run, file] : {std::pair{"e1", "gsm8k_epochs1.json"}, std::pair{"e4", "gsm8k_epochs4.eval"}}) {
    auto r =
        testing::run_caploop({"--db", db, "-q", "ingest", "--run", run, "--format", "inspect", (logs / file).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = testing::run_caploop({"--db", db, "summary", "--run", run, "--json"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(simdjson::padded_string(s.out));
    simdjson::dom::element task = doc["tasks"].at(0);
    EXPECT_EQ(std::string_view(task["rule"]), "gsm8k");
    EXPECT_EQ(int64_t(task["n_items"]), 1319);
    EXPECT_EQ(int64_t(task["n_samples"]), std::string(run) == "e1" ? 1319 : 4 * 1319);

    WorkspaceDb ws(db, false);
    std::vector<HarnessAggregate> aggregates = read_harness_aggregates(ws, ws.run_or_throw(run).id);
    ASSERT_EQ(aggregates.size(), 1u);
    EXPECT_EQ(aggregates[0].metric, "match,none");
    // Inspect's accuracy with the mean epoch reducer equals the mean over all responses (every sample has
    // all epochs), which is what caploop's accuracy is.
    EXPECT_NEAR(double(task["accuracy"]), aggregates[0].value, 0.01) << run;
    Agreement a = item_agreement(ws, run, "match,none");
    EXPECT_EQ(a.responses, int64_t(task["n_samples"]));
    EXPECT_GE(static_cast<double>(a.agreeing) / static_cast<double>(a.responses), 0.99) << run;
  }
}

TEST(HarnessAgreement, DefaultGsm8kRuleAgreesWithOpenCompasssEvaluator) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  std::string db = (tmp / "w.db").string();
  auto r = testing::run_caploop({"--db", db, "-q", "ingest", "--run", "oc", "--format", "opencompass", "--model",
                                 "gpt-3-175b", testing::opencompass_outputs_dir().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = testing::run_caploop({"--db", db, "summary", "--run", "oc", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  simdjson::dom::parser parser;
  simdjson::dom::element task = parser.parse(simdjson::padded_string(s.out))["tasks"].at(0);
  EXPECT_EQ(int64_t(task["n_items"]), 1319);
  WorkspaceDb ws(db, false);
  std::vector<HarnessAggregate> aggregates = read_harness_aggregates(ws, ws.run_or_throw("oc").id);
  ASSERT_EQ(aggregates.size(), 1u);
  EXPECT_NEAR(double(task["accuracy"]), aggregates[0].value, 0.01);
  Agreement a = item_agreement(ws, "oc", "accuracy,none");
  EXPECT_EQ(a.responses, 1319);
  EXPECT_GE(static_cast<double>(a.agreeing) / static_cast<double>(a.responses), 0.99);
}

TEST(HarnessAgreement, DefaultGsm8kRuleAgreesWithEvalScopesReviews) {
  // Real EvalScope 1.x output (tests/fixtures/evalscope): qwen-plus answering "ANSWER: $\\boxed{N}$".
  testing::TempDir tmp;
  std::string db = (tmp / "w.db").string();
  auto r = testing::run_caploop({"--db", db, "-q", "ingest", "--run", "es", "--format", "evalscope",
                                 (testing::fixtures_dir() / "evalscope" / "outputs").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  WorkspaceDb ws(db, false);
  Statement st(ws.db(),
               "SELECT COUNT(*), SUM(s.correct = h.value) FROM responses r JOIN scores s ON s.response_id = r.id "
               "JOIN harness_metrics h ON h.response_id = r.id JOIN items i ON i.id = r.item_id "
               "WHERE s.rule = 'gsm8k' AND i.benchmark = 'gsm8k'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 10);
  EXPECT_EQ(st.int64(1), 10);
}

}  // namespace
}  // namespace caploop
