// run_scoring's contract "results are identical whatever the thread count", on real outputs: every stored score
// (answer, correctness, ending and its evidence) after scoring with 1, 2 and 7 threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"
#include "workspace/ingest_job.h"
#include "workspace/run_scoring.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::shared_data_dir;
using testing::TempDir;

// Every stored score of the run, one line per (rule, response), in a fixed order.
std::vector<std::string> stored_scores(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(),
               "SELECT s.rule, s.rule_version, s.response_id, s.found, s.answer, s.correct, s.ending, "
               "s.ending_evidence, s.ran_on, s.truncated, s.repetitive FROM scores s JOIN responses r "
               "ON r.id = s.response_id WHERE r.run_id = ? ORDER BY s.rule, s.response_id");
  st.bind(1, run_id);
  std::vector<std::string> rows;
  while (st.step()) {
    std::string row;
    for (int c = 0; c < 11; ++c) row += std::string(st.text(c)) + "\t";
    rows.push_back(std::move(row));
  }
  return rows;
}

void expect_same_scores_for_1_2_and_7_threads(WorkspaceDb& ws, const std::string& name, size_t responses) {
  RunRow run = ws.run_or_throw(name);
  score_run(ws, run, std::nullopt, 1, nullptr, std::nullopt);
  const std::vector<std::string> one = stored_scores(ws, run.id);
  ASSERT_EQ(one.size(), responses) << name;
  // the scores differ from one another (the run is not all one answer), so a shuffled or dropped range shows
  EXPECT_GT(std::count_if(one.begin(), one.end(), [](const std::string& r) { return r.find("\t1\t") != r.npos; }), 0);
  for (unsigned threads : {2u, 7u}) {
    score_run(ws, run, std::nullopt, threads, nullptr, std::nullopt);
    const std::vector<std::string> many = stored_scores(ws, run.id);
    ASSERT_EQ(many.size(), one.size()) << name << ", " << threads << " threads";
    for (size_t i = 0; i < one.size(); ++i) {
      ASSERT_EQ(many[i], one[i]) << name << ", " << threads << " threads, row " << i;
    }
  }
}

TEST(RunScoringThreadsTest, BbhChainOfThoughtScoresAreIdenticalOn1And2And7Threads) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(shared_data_dir() / "bbh" / "code-davinci-002-outputs" / "code-davinci-002-cot")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  IngestRequest req;
  req.format = IngestFormat::kGeneric;
  req.paths = files;
  req.run.name = "davinci-cot";
  req.mapping.benchmark = "bbh";
  req.mapping.records_pointer = "/outputs";
  req.mapping.input_pointer = "/input";
  req.mapping.response_pointer = "/prediction";
  req.mapping.target_pointer = "/target";
  req.mapping.task_file_regex = "^(.*)_few_shot_template";
  req.threads = 1;
  ingest_run(ws, req, nullptr);
  // 6,511 responses in one batch: 7 threads score 7 ranges of about 930 each
  expect_same_scores_for_1_2_and_7_threads(ws, "davinci-cot", 6511);
}

TEST(RunScoringThreadsTest, MathSampledScoresAreIdenticalOn1And2And7Threads) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  IngestRequest req;
  req.format = IngestFormat::kGeneric;
  req.paths = {shared_data_dir() / "model_outputs" / "qwen25math_math_cot_100" / "math_cot_100.jsonl"};
  req.run.name = "qwen";
  req.mapping.benchmark = "math";
  req.mapping.id_pointer = "/idx";
  req.mapping.input_pointer = "/question";
  req.mapping.responses_pointer = "/code";
  req.mapping.target_pointer = "/gt";
  req.threads = 1;
  ingest_run(ws, req, nullptr);
  // 800 responses: 3 ranges (at least 256 responses per thread), so 7 asked threads use 3
  expect_same_scores_for_1_2_and_7_threads(ws, "qwen", 800);
}

}  // namespace
}  // namespace caploop
