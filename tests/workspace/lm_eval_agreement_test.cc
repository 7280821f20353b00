// A whole lm-evaluation-harness output folder, written from the real data in ../shared/data by
// tests/io/generate_lm_eval_folder.py (per-record metrics computed the harness's way), ingested in one go:
// per task, caploop's default rule must agree with the harness's own per-record metric within one point.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "eval/rule_registry.h"
#include "store/harness_metrics.h"
#include "store/response_evidence.h"
#include "store/score_table.h"
#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"
#include "workspace/ingest_job.h"
#include "workspace/run_scoring.h"
#include "workspace/run_summary.h"
#include "workspace/run_summary_json.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Writes the generated folder into `out`; skips the test when python3 or the data is missing.
bool generate(const fs::path& out) {
  if (!testing::have_shared_data()) return false;
  testing::CommandResult r =
      testing::run_command({"python3", (testing::source_dir() / "tests/io/generate_lm_eval_folder.py").string(),
                            testing::shared_data_dir().string(), out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0;
}

IngestResult ingest(WorkspaceDb& ws, const std::string& run, const fs::path& folder) {
  IngestRequest req;
  req.format = IngestFormat::kLmEval;
  req.paths = {folder};
  req.run.name = run;
  req.threads = 2;
  return ingest_run(ws, req, nullptr);
}

struct TaskAgreement {
  int64_t items = 0, ours = 0, harness = 0, agree = 0;
  std::string metric;
};

class LmEvalFolder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ready_ = generate(dir_->path() / "out");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!ready_) GTEST_SKIP() << "no ../shared/data or python3";
  }
  static fs::path folder() { return dir_->path() / "out"; }
  static TempDir* dir_;
  static bool ready_;
};
TempDir* LmEvalFolder::dir_ = nullptr;
bool LmEvalFolder::ready_ = false;

TEST_F(LmEvalFolder, EveryTaskByDefaultAgreesWithTheHarnessWithinOnePoint) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "ws.db").string(), true);
  IngestResult res = ingest(ws, "gen", folder());
  RunRow run = ws.run_or_throw("gen");

  // The harness's per-record metric of each item (first response), straight from the stored harness values, and
  // caploop's stored score of the same response under the rule the task was scored with.
  auto metrics = read_harness_metrics(ws, run.id);
  auto ids = response_ids_of_run(ws, run.id);
  std::map<BenchmarkTaskKey, TaskAgreement> per_task;
  std::set<std::string> rules_used;
  for (const RuleApplication& a : res.scoring.applied) {
    const ScoringRule& rule = rule_or_throw(a.rule);
    rules_used.insert(a.rule);
    TaskSampleScores stored = read_sample_scores(ws, run.id, a.rule, a.benchmark);
    for (const SampleScore& s : stored[a.task]) {
      if (s.sample_index != 0) continue;
      TaskAgreement& t = per_task[{a.benchmark, a.task}];
      const HarnessMetricValues& logged = metrics.at(ids.at({s.item_id, 0}));
      // the metric the rule reproduces, else the task's only metric
      std::string want(rule.harness_metric());
      const std::pair<std::string, double>* value = nullptr;
      for (const auto& m : logged) {
        if (m.first == want) value = &m;
      }
      if (!value) value = &logged.front();
      t.metric = value->first;
      ++t.items;
      t.ours += s.correct ? 1 : 0;
      t.harness += value->second >= 0.5 ? 1 : 0;
      t.agree += (value->second >= 0.5) == s.correct ? 1 : 0;
    }
  }
  // 27 bbh_cot_fewshot, 7 leaderboard_bbh, gsm8k, mmlu, 4 math, aime24
  EXPECT_EQ(per_task.size(), 41u);
  for (const auto& [key, t] : per_task) {
    ASSERT_GT(t.items, 0);
    double ours = static_cast<double>(t.ours) / static_cast<double>(t.items);
    double harness = static_cast<double>(t.harness) / static_cast<double>(t.items);
    double agreement = static_cast<double>(t.agree) / static_cast<double>(t.items);
    std::cout << key.first << "/" << key.second << ": caploop " << 100 * ours << "% harness (" << t.metric << ") "
              << 100 * harness << "% item agreement " << 100 * agreement << "% of " << t.items << "\n";
    EXPECT_LE(std::abs(ours - harness), 0.01) << key.first << "/" << key.second;
    EXPECT_FALSE(t.metric.empty());
  }
  // Nothing fell back to exact match or to the harness's own metric: caploop has a rule for every family here.
  EXPECT_EQ(rules_used,
            (std::set<std::string>{"bbh-lm-eval-strict", "gsm8k-lm-eval-flexible", "math-aime", "math-dollar",
                                   "math-minerva", "mc-loglikelihood", "mc-loglikelihood-norm"}));
}

TEST_F(LmEvalFolder, SummaryShowsTheHarnessNumberBesideOursAndItsAggregate) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "ws.db").string(), true);
  IngestResult res = ingest(ws, "gen", folder());
  ASSERT_TRUE(res.summary.has_value());
  RunRow run = ws.run_or_throw("gen");
  std::map<BenchmarkTaskKey, double> reported;
  for (const HarnessAggregate& a : read_harness_aggregates(ws, run.id)) {
    if (a.metric == "exact_match,flexible-extract" || a.metric.starts_with("acc") ||
        (a.metric.starts_with("exact_match,") && a.metric != "exact_match,strict-match")) {
      reported[{a.benchmark, a.task}] = a.value;
    }
  }
  int rows = 0;
  for (const TaskSummary& t : res.summary->rows) {
    if (t.task == "*") continue;
    ++rows;
    ASSERT_TRUE(t.harness_aggregate.has_value()) << t.benchmark << "/" << t.task;
    EXPECT_DOUBLE_EQ(*t.harness_aggregate, reported.at({t.benchmark, t.task})) << t.benchmark << "/" << t.task;
    ASSERT_TRUE(t.agreement.has_value());
    EXPECT_TRUE(t.warnings.empty()) << t.warnings.front();
  }
  EXPECT_EQ(rows, 41);
  // the leaderboard's BBH tasks join bbh (kept apart from the chain-of-thought tasks of the same folder)
  std::set<std::string> bbh_tasks;
  for (const TaskSummary& t : res.summary->rows) {
    if (t.benchmark == "bbh") bbh_tasks.insert(t.task);
  }
  EXPECT_TRUE(bbh_tasks.count("navigate"));
  EXPECT_TRUE(bbh_tasks.count("leaderboard_bbh_navigate"));
  // num_fewshot differs between tasks: kept per task
  EXPECT_NE(run.info.generation.extra_json.find(R"("gsm8k":{"generation_kwargs")"), std::string::npos);
  EXPECT_NE(run.info.generation.extra_json.find(R"("num_fewshot":5)"), std::string::npos);
}

TEST_F(LmEvalFolder, AnUnknownTaskIsScoredByTheHarnessMetricWithAWarning) {
  TempDir tmp;
  fs::path gsm8k;
  for (const auto& e : fs::recursive_directory_iterator(folder())) {
    if (e.path().filename().string().starts_with("samples_gsm8k_")) gsm8k = e.path();
  }
  ASSERT_FALSE(gsm8k.empty());
  fs::create_directories(tmp / "unknown");
  fs::copy_file(gsm8k, tmp / "unknown" / "samples_arithmetic_word_problems_2026-01-15T10-20-30.123456.jsonl");
  WorkspaceDb ws((tmp / "ws.db").string(), true);
  IngestResult res = ingest(ws, "unknown", tmp / "unknown");
  ASSERT_EQ(res.scoring.applied.size(), 1u);
  // the first metric the harness logged for the task
  EXPECT_EQ(res.scoring.applied[0].rule, "harness:exact_match,strict-match");
  ASSERT_TRUE(res.summary.has_value());
  const TaskSummary& t = res.summary->rows.front();
  EXPECT_EQ(t.benchmark, "arithmetic_word_problems");
  ASSERT_FALSE(t.warnings.empty());
  EXPECT_NE(t.warnings.front().find("no rule for this task"), std::string::npos) << t.warnings.front();
  // scored by the harness's own values: the same accuracy as the harness
  ASSERT_TRUE(t.harness_accuracy.has_value());
  EXPECT_DOUBLE_EQ(t.accuracy, *t.harness_accuracy);
}

TEST_F(LmEvalFolder, TaskPatternsOverrideTheDefaultForTheTasksTheyMatch) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "ws.db").string(), true);
  ingest(ws, "gen", folder());
  RunRow run = ws.run_or_throw("gen");
  ScoringReport rep =
      score_run_by_task(ws, run, std::nullopt,
                        {parse_task_rule("math/*=math"), parse_task_rule("gsm8k=gsm8k-lm-eval-strict")}, 2, nullptr);
  for (const RuleApplication& a : rep.applied) {
    if (a.benchmark == "math") {
      EXPECT_EQ(a.rule, "math") << a.task;
    } else if (a.benchmark == "gsm8k") {
      EXPECT_EQ(a.rule, "gsm8k-lm-eval-strict");
    } else if (a.benchmark == "bbh" && a.task == "navigate") {
      EXPECT_EQ(a.rule, "bbh-lm-eval-strict");
    }
  }
  testing::expect_error([] { parse_task_rule("math/*"); });
  testing::expect_error([] { parse_task_rule("math/*=no-such-rule"); });
}

}  // namespace
}  // namespace caploop

namespace caploop {
namespace {

std::vector<std::string> score_rows(WorkspaceDb& ws) {
  Statement st(ws.db(),
               "SELECT response_id, rule, rule_version, found, answer, correct, ending, ending_evidence, ran_on, "
               "truncated, repetitive FROM scores ORDER BY rule, response_id");
  std::vector<std::string> out;
  while (st.step()) {
    std::string row;
    for (int c = 0; c < 11; ++c) row += st.str(c) + "|";
    out.push_back(std::move(row));
  }
  return out;
}

// Ingest scores while the records stream in (workspace/streamed_scoring.h); what it stores and reports must be
// exactly what scoring the stored run afterwards gives, on every task of a real lm-eval folder plus a task caploop
// does not know (scored from the workspace after the import, by the harness's metric).
TEST_F(LmEvalFolder, IngestStoresTheScoresThatScoringTheStoredRunGives) {
  TempDir tmp;
  fs::copy(folder(), tmp / "mixed", fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(folder())) {
    if (e.path().filename().string().starts_with("samples_gsm8k_")) {
      fs::copy_file(e.path(), e.path().parent_path().string() == folder().string()
                                  ? tmp / "mixed" / "samples_arithmetic_word_problems_2026-01-15T10-20-30.123456.jsonl"
                                  : tmp / "mixed" / fs::relative(e.path().parent_path(), folder()) /
                                        "samples_arithmetic_word_problems_2026-01-15T10-20-30.123456.jsonl");
      break;
    }
  }
  WorkspaceDb ws((tmp / "ws.db").string(), true);
  IngestResult streamed = ingest(ws, "gen", tmp / "mixed");
  std::vector<std::string> at_ingest = score_rows(ws);
  // Rows of batches scored before the import ended were written while it streamed (how many depends on the
  // threads' timing; tests/workspace/streamed_score_rows_test.cc covers that path deterministically); the last
  // batch is scored after the import, so its rows at least are written after it.
  EXPECT_LT(streamed.score_rows_while_streaming, static_cast<int64_t>(at_ingest.size()));
  std::cout << "[ figures  ] score rows written while streaming: " << streamed.score_rows_while_streaming << " of "
            << at_ingest.size() << "\n";
  // ingest's summary, made from the scores it computed, is the one read back from the workspace
  ASSERT_TRUE(streamed.summary.has_value());
  EXPECT_EQ(run_summary_to_json(*streamed.summary),
            run_summary_to_json(summarize_run(ws, "gen", std::nullopt, 2, nullptr)));
  ScoringReport again = score_run(ws, ws.run_or_throw("gen"), std::nullopt, 2, nullptr);
  std::vector<std::string> rescored = score_rows(ws);
  ASSERT_EQ(at_ingest.size(), rescored.size());
  EXPECT_GT(at_ingest.size(), 1000u);
  for (size_t i = 0; i < at_ingest.size(); ++i) ASSERT_EQ(at_ingest[i], rescored[i]) << "row " << i;
  ASSERT_EQ(streamed.scoring.applied.size(), again.applied.size());
  std::set<std::string> rules;
  for (size_t i = 0; i < again.applied.size(); ++i) {
    const RuleApplication& a = streamed.scoring.applied[i];
    const RuleApplication& b = again.applied[i];
    EXPECT_EQ(std::tie(a.benchmark, a.task, a.rule, a.rule_version, a.responses, a.correct),
              std::tie(b.benchmark, b.task, b.rule, b.rule_version, b.responses, b.correct));
    rules.insert(a.rule);
  }
  EXPECT_GE(rules.size(), 3u);  // several task families, several rules
  EXPECT_TRUE(rules.count("harness:exact_match,strict-match"));
  std::cout << "[ figures  ] rules applied at ingest:";
  for (const std::string& r : rules) std::cout << " " << r;
  std::cout << "\n";
}

// Beside each task's default rule (the harness's replica where caploop knows the harness task), ingest stores the
// scores of caploop's own rule for the benchmark (bbh beside bbh-lm-eval-strict): a summary under that rule read
// from them is the one scoring the stored texts in memory gives.
TEST_F(LmEvalFolder, IngestStoresTheBenchmarksOwnRuleAsScoringTheTextsGivesIt) {
  if (!ready_) GTEST_SKIP() << "needs python3 and ../shared/data";
  TempDir tmp;
  WorkspaceDb ws((tmp / "ws.db").string(), true);
  ingest(ws, "gen", folder());
  RunRow run = ws.run_or_throw("gen");
  std::set<std::string> own_rules;
  for (const std::string& benchmark : benchmarks_of_run(ws, run.id)) {
    std::string_view own = default_rule_name_for(benchmark);
    if (own == "exact") continue;
    auto version = stored_rule_version(ws, run.id, own, benchmark);
    ASSERT_TRUE(version.has_value()) << benchmark << ": no stored scores under " << own;
    EXPECT_EQ(*version, rule_or_throw(own).version());
    own_rules.insert(std::string(own));
  }
  EXPECT_TRUE(own_rules.count("bbh"));
  EXPECT_TRUE(own_rules.count("gsm8k"));
  for (const std::string& rule : own_rules) {
    std::string stored = run_summary_to_json(summarize_run(ws, "gen", rule, 2, nullptr));
    ws.db().exec(("DELETE FROM score_sets WHERE rule = '" + rule + "'").c_str());
    ASSERT_FALSE(stored_rule_version(ws, run.id, rule, std::nullopt).has_value());
    std::string in_memory = run_summary_to_json(summarize_run(ws, "gen", rule, 2, nullptr));
    EXPECT_EQ(stored, in_memory) << rule;
  }
}

}  // namespace
}  // namespace caploop
