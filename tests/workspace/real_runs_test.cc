// End-to-end checks on real model outputs from ../shared/data: ingest with the generic importer, score with
// the default rules, summarise, and compare with the numbers the sources published.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>

#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"
#include "workspace/ingest_job.h"
#include "workspace/run_summary.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::shared_data_dir;
using testing::TempDir;

GenericMapping bbh_mapping() {
  GenericMapping m;
  m.benchmark = "bbh";
  m.records_pointer = "/outputs";
  m.input_pointer = "/input";
  m.response_pointer = "/prediction";
  m.target_pointer = "/target";
  m.task_file_regex = "^(.*)_few_shot_template";
  return m;
}

IngestResult ingest(WorkspaceDb& ws, const std::string& run, std::vector<fs::path> paths, GenericMapping m) {
  IngestRequest req;
  req.format = IngestFormat::kGeneric;
  req.paths = std::move(paths);
  req.run.name = run;
  req.mapping = std::move(m);
  req.threads = 2;
  return ingest_run(ws, req, nullptr);
}

double published_accuracy(const fs::path& metrics) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(metrics.string());
  return double(doc["accuracy"]);
}

TEST(RealRunsTest, BbhReferenceRuleReproducesAll54PublishedAccuracies) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  fs::path root = shared_data_dir() / "bbh" / "code-davinci-002-outputs";
  int checked = 0;
  for (std::string variant : {"cot", "direct"}) {
    fs::path dir = root / ("code-davinci-002-" + variant);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 27u);
    auto res = ingest(ws, "davinci-" + variant, files, bbh_mapping());
    EXPECT_EQ(res.items, 6511);
    RunSummary s = summarize_run(ws, "davinci-" + variant, std::string("bbh"), 2, nullptr);
    std::map<std::string, double> acc;
    for (const auto& row : s.rows) {
      if (row.task != "*") acc[row.task] = row.accuracy;
    }
    EXPECT_EQ(acc.size(), 27u);
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      auto pos = name.find("_few_shot_template_0-255000_eval_metrics.jsonl");
      if (pos == std::string::npos) continue;
      std::string task = name.substr(0, pos);
      ASSERT_TRUE(acc.count(task)) << task;
      EXPECT_NEAR(100.0 * acc[task], published_accuracy(entry.path()), 0.05) << variant << " " << task;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 54);
}

TEST(RealRunsTest, CotAndDirectRunsShareTheirItems) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  fs::path root = shared_data_dir() / "bbh" / "code-davinci-002-outputs";
  fs::path file = "date_understanding_few_shot_template_0-255000.json";
  ingest(ws, "cot", {root / "code-davinci-002-cot" / file}, bbh_mapping());
  ingest(ws, "direct", {root / "code-davinci-002-direct" / file}, bbh_mapping());
  Statement st(ws.db(), "SELECT count(*), count(DISTINCT item_id) FROM run_items");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 500);  // 250 items in each run ...
  EXPECT_EQ(st.int64(1), 250);  // ... the same 250 items
}

TEST(RealRunsTest, Gsm8kExampleSolutionsAsFourRunsAgreeWithPublishedFlags) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  fs::path file = shared_data_dir() / "gsm8k" / "example_model_solutions.jsonl";
  // Published flags, read independently of caploop's importer.
  std::vector<std::map<std::string, bool>> flags;
  const std::vector<std::string> models = {"6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"};
  {
    simdjson::dom::parser parser;
    simdjson::padded_string text = simdjson::padded_string::load(file.string());
    for (auto doc : parser.parse_many(text)) {
      std::map<std::string, bool> f;
      for (const auto& m : models) f[m] = bool(doc[m]["is_correct"]);
      flags.push_back(f);
    }
  }
  ASSERT_EQ(flags.size(), 1319u);
  int64_t agree = 0, total = 0;
  for (const auto& m : models) {
    GenericMapping map;
    map.benchmark = "gsm8k";
    map.input_pointer = "/question";
    map.response_pointer = "/" + m + "/solution";
    map.target_pointer = "/ground_truth";
    auto res = ingest(ws, m, {file}, map);
    EXPECT_EQ(res.items, 1319);
    RunRow run = ws.run_or_throw(m);
    Statement st(ws.db(),
                 "SELECT i.source_id, s.correct FROM scores s JOIN responses r ON r.id = s.response_id JOIN items i "
                 "ON i.id = r.item_id WHERE r.run_id = ? AND s.rule = 'gsm8k'");
    st.bind(1, run.id);
    while (st.step()) {
      size_t idx = std::stoul(st.str(0));
      agree += (st.int64(1) != 0) == flags.at(idx).at(m);
      ++total;
    }
  }
  EXPECT_EQ(total, 4 * 1319);
  double rate = static_cast<double>(agree) / static_cast<double>(total);
  std::cout << "gsm8k agreement with published is_correct: " << agree << "/" << total << "\n";
  EXPECT_GE(rate, 0.99);
}

TEST(RealRunsTest, MathCot100AgreesWithProvidedScoresAndReportsPassAtK) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  fs::path file = shared_data_dir() / "model_outputs" / "qwen25math_math_cot_100" / "math_cot_100.jsonl";
  GenericMapping m;
  m.benchmark = "math";
  m.id_pointer = "/idx";
  m.input_pointer = "/question";
  m.responses_pointer = "/code";
  m.target_pointer = "/gt";
  m.metadata_pointers = {"/level"};
  auto res = ingest(ws, "qwen", {file}, m);
  EXPECT_EQ(res.items, 100);
  EXPECT_EQ(res.responses, 800);

  // provided flags and the pass@k they imply, computed here independently
  std::map<std::string, std::vector<bool>> provided;
  {
    simdjson::dom::parser parser;
    simdjson::padded_string text = simdjson::padded_string::load(file.string());
    for (auto doc : parser.parse_many(text)) {
      std::vector<bool> f;
      for (auto v : doc["score"].get_array()) f.push_back(bool(v));
      provided[std::to_string(int64_t(doc["idx"]))] = f;
    }
  }
  RunRow run = ws.run_or_throw("qwen");
  Statement st(ws.db(),
               "SELECT i.source_id, r.sample_index, s.correct FROM scores s JOIN responses r ON r.id = s.response_id "
               "JOIN items i ON i.id = r.item_id WHERE r.run_id = ? AND s.rule = 'math'");
  st.bind(1, run.id);
  int64_t agree = 0, total = 0;
  while (st.step()) {
    agree += (st.int64(2) != 0) == provided.at(st.str(0)).at(static_cast<size_t>(st.int64(1)));
    ++total;
  }
  EXPECT_EQ(total, 800);
  std::cout << "math_cot_100 agreement with provided scores: " << agree << "/" << total << "\n";
  EXPECT_GE(static_cast<double>(agree) / static_cast<double>(total), 0.98);

  RunSummary s = summarize_run(ws, "qwen", std::nullopt, 2, nullptr);
  const TaskSummary* pooled = nullptr;
  for (const auto& row : s.rows) {
    if (row.task == "*") pooled = &row;
  }
  ASSERT_NE(pooled, nullptr);
  ASSERT_EQ(pooled->pass_at_k.back().first, 8);
  double provided_any = 0;
  for (const auto& [id, f] : provided) provided_any += std::find(f.begin(), f.end(), true) != f.end();
  provided_any /= static_cast<double>(provided.size());
  std::cout << "pass@1 " << pooled->pass_at_k.front().second.mean << " pass@8 " << pooled->pass_at_k.back().second.mean
            << " (provided flags: pass@8 " << provided_any << ")\n";
  EXPECT_NEAR(pooled->pass_at_k.front().second.mean, pooled->accuracy, 1e-12);
  EXPECT_NEAR(pooled->pass_at_k.back().second.mean, provided_any, 0.03);
}

}  // namespace
}  // namespace caploop
