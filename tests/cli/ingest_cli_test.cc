// The caploop program as users and outside checks call it: ingest, summary --json, runs, show, and how bad
// input is reported (file, line, field; exit code 3; workspace unchanged).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <map>
#include <string>

#include "test_support.h"

namespace caploop {
namespace {

using testing::read_file;
using testing::run_caploop;
using testing::TempDir;
using testing::write_file;

const char* kGood = R"({"id": "a1", "question": "2+2?", "answer": "4", "output": "2+2 is 4. The answer is 4."})"
                    "\n"
                    R"({"id": "a2", "question": "3+3?", "answer": "6", "output": "The answer is 7."})"
                    "\n";

std::vector<std::string> generic_args(const std::string& db, const std::string& run, const std::string& path) {
  return {"--db", db,    "-q",      "ingest",    "--run",      run,       "--format", "generic", "--benchmark", "gsm8k",
          "--id", "/id", "--input", "/question", "--response", "/output", "--target", "/answer", path};
}

// Number of runs and responses in the workspace, via the CLI.
std::pair<int64_t, int64_t> workspace_size(const std::string& db) {
  auto r = run_caploop({"--db", db, "runs", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(r.out));
  int64_t runs = 0, responses = 0;
  for (auto run : doc["runs"].get_array()) {
    ++runs;
    responses += int64_t(run["n_responses"]);
  }
  return {runs, responses};
}

TEST(IngestCliTest, GenericIngestThenSummaryJsonHasTheDocumentedFields) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string(), in = (tmp / "run.jsonl").string();
  write_file(in, kGood);
  auto r = run_caploop(generic_args(db, "r1", in));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = run_caploop({"--db", db, "summary", "--run", "r1", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(s.out));
  auto tasks = doc["tasks"].get_array();
  ASSERT_EQ(tasks.size(), 1u);
  simdjson::dom::element t = tasks.at(0);
  EXPECT_EQ(std::string_view(t["benchmark"]), "gsm8k");
  EXPECT_EQ(std::string_view(t["task"]), "gsm8k");
  EXPECT_EQ(int64_t(t["n_items"]), 2);
  EXPECT_EQ(int64_t(t["n_samples"]), 2);
  EXPECT_DOUBLE_EQ(double(t["accuracy"]), 0.5);
  EXPECT_EQ(std::string_view(t["rule"]), "gsm8k");
}

TEST(IngestCliTest, ShowPrintsOneItemAcrossRuns) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string(), in = (tmp / "run.jsonl").string();
  write_file(in, kGood);
  ASSERT_EQ(run_caploop(generic_args(db, "r1", in)).exit_code, 0);
  ASSERT_EQ(run_caploop(generic_args(db, "r2", in)).exit_code, 0);
  auto r = run_caploop({"--db", db, "show", "gsm8k:a2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(r.out));
  EXPECT_EQ(doc["runs"].get_array().size(), 2u);
  EXPECT_EQ(std::string_view(doc["runs"].at(0)["responses"].at(0)["text"]), "The answer is 7.");
  EXPECT_FALSE(bool(doc["runs"].at(0)["responses"].at(0)["correct"]));
}

struct BadInput {
  const char* name;
  std::string content;
  const char* expect_location;  // substring of the error: file:line
  const char* expect_field;     // substring naming the field ("" when the whole line is at fault)
};

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, ClearErrorAndWorkspaceUnchanged) {
  const BadInput& bad = GetParam();
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  std::string good = (tmp / "good.jsonl").string(), path = (tmp / "bad.jsonl").string();
  write_file(good, kGood);
  ASSERT_EQ(run_caploop(generic_args(db, "before", good)).exit_code, 0);
  auto size_before = workspace_size(db);
  write_file(path, bad.content);
  auto r = run_caploop(generic_args(db, "bad", path));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(std::string("bad.jsonl") + bad.expect_location), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad.expect_field), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(workspace_size(db), size_before);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInputTest,
    ::testing::Values(
        BadInput{"malformed_line", std::string(kGood) + "{\"id\": \"a3\", \"question\": \n", ":3", ""},
        BadInput{"missing_field",
                 std::string(kGood) + R"({"id": "a3", "question": "q", "output": "o"})"
                                      "\n",
                 ":3", "/answer"},
        BadInput{"wrong_type",
                 std::string(kGood) + R"({"id": "a3", "question": ["q"], "answer": "1", "output": "o"})"
                                      "\n",
                 ":3", "/question"},
        BadInput{"invalid_utf8",
                 std::string(kGood) +
                     "{\"id\": \"a3\", \"question\": \"bad \xff\xfe\", \"answer\": \"1\", \"output\": \"o\"}\n",
                 ":3", ""},
        BadInput{"truncated", std::string(kGood) + R"({"id": "a3", "question": "q", "answ)", ":3", ""},
        BadInput{"empty", "", "", ""}),
    [](const ::testing::TestParamInfo<BadInput>& info) { return std::string(info.param.name); });

TEST(IngestCliTest, UnknownRunAndBadUsageHaveDistinctExitCodes) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string(), in = (tmp / "run.jsonl").string();
  write_file(in, kGood);
  ASSERT_EQ(run_caploop(generic_args(db, "r1", in)).exit_code, 0);
  EXPECT_EQ(run_caploop({"--db", db, "summary", "--run", "nope"}).exit_code, 4);
  EXPECT_EQ(run_caploop({"--db", db, "summary"}).exit_code, 2);
  EXPECT_EQ(run_caploop({"--db", db, "summary", "--run", "r1", "--rule", "no-such-rule"}).exit_code, 4);
  EXPECT_EQ(run_caploop(generic_args(db, "r1", in)).exit_code, 5);  // exists already
  auto help = run_caploop({"ingest", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--task-from-filename"), std::string::npos);
}

}  // namespace
}  // namespace caploop

namespace caploop {
namespace {

// The bundled lm-eval example (no ../shared needed): one command ingests the whole folder and prints the
// harness's number beside caploop's for every task, without a warning; summary --json keeps its fields.
TEST(IngestCli, BundledLmEvalFolderShowsTheHarnessBesideCaploop) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  auto r = run_caploop({"--db", db, "-q", "ingest", "--run", "ex", "--format", "lm-eval",
                        (testing::source_dir() / "examples/lm_eval").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("caploop beside the harness"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("WARNING"), std::string::npos) << r.err;
  auto s = run_caploop({"--db", db, "summary", "--run", "ex", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(s.out));
  int tasks = 0;
  for (auto t : doc["tasks"].get_array()) {
    ++tasks;
    for (const char* key : {"benchmark", "task", "n_items", "n_samples", "accuracy", "maj_at_k", "harness"}) {
      EXPECT_EQ(t[key].error(), simdjson::SUCCESS) << key;
    }
    double ours = double(t["first_sample_accuracy"]);
    double harness = double(t["harness"]["reported"]);
    EXPECT_LE(std::abs(ours - harness), 0.01) << std::string_view(t["task"]);
  }
  EXPECT_EQ(tasks, 12);
  // a rule per task pattern; a malformed pattern is a usage error
  auto score = run_caploop({"--db", db, "-q", "score", "--run", "ex", "--rule", "math/*=math", "--json"});
  ASSERT_EQ(score.exit_code, 0) << score.err;
  EXPECT_NE(score.out.find(R"("rule": "math")"), std::string::npos) << score.out;
  EXPECT_EQ(run_caploop({"--db", db, "-q", "score", "--run", "ex", "--rule", "math/*=no-such-rule"}).exit_code, 4);
}

// diagnose judges each task by the rule summary uses for it (the harness's way), not one rule per benchmark:
// on the bundled lm-eval folder the diagnosis's overall accuracy is the summary's item-weighted accuracy, and
// the rules it lists are the per-task ones (acc_norm for leaderboard BBH, $...$ for hendrycks_math, ...).
TEST(IngestCli, DiagnoseScoresEachTaskAsSummaryDoes) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  const std::string folder = (testing::source_dir() / "examples/lm_eval").string();
  for (const char* run : {"a", "b"}) {
    auto r = run_caploop({"--db", db, "-q", "ingest", "--run", run, "--format", "lm-eval", folder});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto s = run_caploop({"--db", db, "summary", "--run", "a", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  simdjson::dom::parser sp;
  simdjson::dom::element summary = sp.parse(simdjson::padded_string(s.out));
  int64_t items = 0;
  double correct = 0;
  for (auto t : summary["tasks"].get_array()) {
    const int64_t n = int64_t(t["n_items"]);
    items += n;
    correct += double(t["first_sample_accuracy"]) * double(n);
  }
  auto d = run_caploop({"--db", db, "diagnose", "--baseline", "a", "--candidate", "b", "--json"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  simdjson::dom::parser dp;
  simdjson::dom::element diagnosis = dp.parse(simdjson::padded_string(d.out));
  simdjson::dom::element overall = diagnosis["evidence"]["overall"];
  EXPECT_EQ(int64_t(overall["n"]), items);
  EXPECT_NEAR(double(overall["base_accuracy"]), correct / double(items), 1e-9);
  std::string rules;
  for (auto c : diagnosis["evidence"]["comparability"]["checks"].get_array()) {
    if (std::string_view(c["aspect"]) == "scoring_rule") rules = std::string(std::string_view(c["baseline"]));
  }
  for (const char* rule : {"mc-loglikelihood-norm", "math-dollar", "math-aime", "gsm8k-lm-eval-flexible"}) {
    EXPECT_NE(rules.find(rule), std::string::npos) << rules;
  }
  EXPECT_EQ(rules.find("exact"), std::string::npos) << rules;
  // export names each task's rule as summary does (it used to look for benchmark-level scores and fail).
  auto exported = run_caploop({"--db", db, "export", "--run", "a"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find(R"("rule":"mc-loglikelihood-norm")"), std::string::npos) << exported.out.substr(0, 400);
  // The terminal verdict is followed by each run's scores beside the harness's.
  auto text = run_caploop({"--db", db, "diagnose", "--baseline", "a", "--candidate", "b"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("candidate b:\ncaploop beside the harness"), std::string::npos) << text.out;
  // The report's per-run tables show the harness's number and the agreement beside caploop's.
  const std::string page = (tmp / "report.html").string();
  auto rep = run_caploop({"--db", db, "-q", "report", "--run", "a", "--run", "b", "--out", page});
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const std::string html = testing::read_file(page);
  EXPECT_NE(html.find("<th>agree %</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>acc_norm,none</td>"), std::string::npos);
}

// A variant kept apart beside its base task (leaderboard_bbh_navigate next to bbh_cot_fewshot_navigate) is
// tagged like the base task, and keeps its own task name.
TEST(IngestCli, VariantKeptApartIsTaggedLikeItsBaseTask) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  auto r = run_caploop({"--db", db, "-q", "ingest", "--run", "a", "--format", "lm-eval",
                        (testing::source_dir() / "examples/lm_eval").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto t = run_caploop({"--db", db, "tag", "--run", "a", "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(t.out));
  std::map<std::string, std::string> operations;  // task -> operations of its first item
  for (auto it : doc["tagged_items"].get_array()) {
    const std::string task{std::string_view(it["task"])};
    if (operations.count(task)) continue;
    std::string ops;
    for (auto v : it["tags"]["operation"].get_array()) ops += std::string(std::string_view(v)) + ";";
    operations[task] = ops;
  }
  ASSERT_TRUE(operations.count("navigate") && operations.count("leaderboard_bbh_navigate"));
  EXPECT_FALSE(operations["navigate"].empty());
  EXPECT_EQ(operations["leaderboard_bbh_navigate"], operations["navigate"]);
  EXPECT_EQ(operations["leaderboard_bbh_date_understanding"], operations["date_understanding"]);
}

}  // namespace
}  // namespace caploop
