// The library's JSON of `summary`, `runs` and `show` on real outputs (code-davinci-002 on three BBH tasks, with
// and without chain of thought): the numbers the sources published, the records as the files hold them, and
// the CLI printing exactly these writers' bytes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "store/item_lookup.h"
#include "store/workspace_db.h"
#include "test_support.h"
#include "workspace/ingest_job.h"
#include "workspace/item_json.h"
#include "workspace/run_summary.h"
#include "workspace/run_summary_json.h"
#include "workspace/runs_json.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::shared_data_dir;
using testing::TempDir;

const std::vector<std::string> kTasks = {"boolean_expressions", "navigate", "word_sorting"};

fs::path outputs_dir(const std::string& variant) {
  return shared_data_dir() / "bbh" / "code-davinci-002-outputs" / ("code-davinci-002-" + variant);
}

fs::path outputs_file(const std::string& variant, const std::string& task) {
  return outputs_dir(variant) / (task + "_few_shot_template_0-255000.json");
}

class ListingJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_SHARED_DATA();
    ws_ = std::make_unique<WorkspaceDb>(db_.string(), true);
    for (const std::string variant : {"direct", "cot"}) {
      IngestRequest req;
      req.format = IngestFormat::kGeneric;
      for (const std::string& t : kTasks) req.paths.push_back(outputs_file(variant, t));
      req.run.name = "davinci-" + variant;
      req.run.model = "code-davinci-002";
      req.mapping.benchmark = "bbh";
      req.mapping.records_pointer = "/outputs";
      req.mapping.input_pointer = "/input";
      req.mapping.response_pointer = "/prediction";
      req.mapping.target_pointer = "/target";
      req.mapping.task_file_regex = "^(.*)_few_shot_template";
      req.threads = 1;
      ingest_run(*ws_, req, nullptr);
    }
  }

  TempDir tmp_;
  fs::path db_ = tmp_ / "w.db";
  std::unique_ptr<WorkspaceDb> ws_;
  simdjson::dom::parser parser_;
};

TEST_F(ListingJsonTest, SummaryJsonCarriesThePublishedAccuracyPerTaskAndOneRowPerBenchmark) {
  for (const std::string variant : {"direct", "cot"}) {
    const RunSummary s = summarize_run(*ws_, "davinci-" + variant, std::nullopt, 1, nullptr);
    const std::string json = run_summary_to_json(s);
    simdjson::dom::element root = parser_.parse(json);
    EXPECT_EQ(std::string_view(root["run"]), "davinci-" + variant);
    simdjson::dom::array tasks = root["tasks"];
    ASSERT_EQ(tasks.size(), kTasks.size());
    size_t i = 0;
    for (simdjson::dom::element row : tasks) {
      const std::string task{std::string_view(row["task"])};
      EXPECT_EQ(task, kTasks[i++]);
      simdjson::dom::parser metrics;
      const fs::path published_file = outputs_dir(variant) / (task + "_few_shot_template_0-255000_eval_metrics.jsonl");
      const double published = double(metrics.load(published_file.string())["accuracy"]);
      EXPECT_NEAR(double(row["accuracy_percent"]), published, 0.05) << variant << " " << task;
      EXPECT_EQ(int64_t(row["n_items"]), int64_t(row["n_samples"]));  // one sample per item
      const simdjson::dom::object endings = row["endings"];
      EXPECT_EQ(endings.size(), 8u);
    }
    simdjson::dom::array benchmarks = root["benchmarks"];
    ASSERT_EQ(benchmarks.size(), 1u);
    EXPECT_EQ(std::string_view((*benchmarks.begin())["task"]), "*");
    EXPECT_TRUE(root["warnings"].is_array());
  }
}

TEST_F(ListingJsonTest, RunsJsonCountsTheRecordsOfTheSourceFiles) {
  int64_t records = 0;
  for (const std::string& t : kTasks) {
    simdjson::dom::parser p;
    records += static_cast<int64_t>(simdjson::dom::array(p.load(outputs_file("direct", t).string())["outputs"]).size());
  }
  ASSERT_GT(records, 0);
  simdjson::dom::element root = parser_.parse(runs_to_json(ws_->runs()));
  simdjson::dom::array runs = root["runs"];
  ASSERT_EQ(runs.size(), 2u);
  std::vector<std::string> names;
  for (simdjson::dom::element r : runs) {
    names.emplace_back(std::string_view(r["name"]));
    EXPECT_EQ(std::string_view(r["model"]), "code-davinci-002");
    EXPECT_EQ(int64_t(r["n_items"]), records);
    EXPECT_EQ(int64_t(r["n_responses"]), records);
    EXPECT_TRUE(r["generation"]["extra"].is_object());
    EXPECT_TRUE(r["generation"]["stop_sequences"].is_array());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"davinci-cot", "davinci-direct"}));  // by name
}

TEST_F(ListingJsonTest, ShowJsonHoldsTheRecordOfEachRunAndItsScore) {
  std::vector<ItemRow> items = find_items(*ws_, "3", std::string("navigate"), std::string("bbh"));
  ASSERT_EQ(items.size(), 1u);
  const std::string rule = "bbh";
  const std::string json = item_across_runs_to_json(items[0], rule, responses_for_item(*ws_, items[0].id, rule));
  simdjson::dom::element root = parser_.parse(json);
  EXPECT_EQ(std::string_view(root["task"]), "navigate");
  EXPECT_EQ(std::string_view(root["id"]), "3");
  EXPECT_EQ(std::string_view(root["rule"]), rule);
  simdjson::dom::array runs = root["runs"];
  ASSERT_EQ(runs.size(), 2u);
  for (simdjson::dom::element r : runs) {
    const std::string run{std::string_view(r["run"])};
    const std::string variant = run.substr(run.find('-') + 1);
    simdjson::dom::parser p;
    simdjson::dom::element record = p.load(outputs_file(variant, "navigate").string())["outputs"].at(3);
    EXPECT_EQ(std::string_view(r["reference"]), std::string_view(record["target"])) << run;
    simdjson::dom::array responses = r["responses"];
    ASSERT_EQ(responses.size(), 1u);
    simdjson::dom::element response = *responses.begin();
    EXPECT_EQ(std::string_view(response["text"]), std::string_view(record["prediction"])) << run;
    EXPECT_TRUE(response["correct"].is_bool()) << run << ": scored under " << rule;
    EXPECT_TRUE(response["ending"].is_string()) << run;
  }
}

TEST_F(ListingJsonTest, TheCliPrintsTheseWritersBytes) {
  ws_.reset();  // the CLI opens the workspace itself
  auto runs = testing::run_caploop({"-q", "--db", db_.string(), "runs", "--json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  auto summary = testing::run_caploop({"-q", "--db", db_.string(), "summary", "--run", "davinci-cot", "--json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  auto show = testing::run_caploop({"-q", "--db", db_.string(), "show", "navigate:3", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  WorkspaceDb ws(db_.string(), WorkspaceAccess::kRead);
  EXPECT_EQ(runs.out, runs_to_json(ws.runs()) + "\n");
  EXPECT_EQ(summary.out, run_summary_to_json(summarize_run(ws, "davinci-cot", std::nullopt, 1, nullptr)) + "\n");
  std::vector<ItemRow> items = find_items(ws, "3", std::string("navigate"), std::nullopt);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(show.out, item_across_runs_to_json(items[0], "bbh", responses_for_item(ws, items[0].id, "bbh")) + "\n");
}

}  // namespace
}  // namespace caploop
