// The generic importer reads the real published outputs in ../shared/data without any conversion.
#include <gtest/gtest.h>

#include <map>

#include "io/generic_importer.h"
#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

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

fs::path bbh_outputs(const std::string& variant, const std::string& task) {
  return testing::shared_data_dir() / "bbh" / "code-davinci-002-outputs" / ("code-davinci-002-" + variant) /
         (task + "_few_shot_template_0-255000.json");
}

TEST(GenericImporterRealData, BbhCotAndDirectRunsShareItemIds) {
  REQUIRE_SHARED_DATA();
  RecordingSink cot, direct;
  import_generic({bbh_outputs("cot", "date_understanding")}, bbh_mapping(), RunInfo{}, cot, nullptr);
  import_generic({bbh_outputs("direct", "date_understanding")}, bbh_mapping(), RunInfo{}, direct, nullptr);
  ASSERT_EQ(cot.items.size(), 250u);  // BBH date_understanding has 250 questions
  ASSERT_EQ(direct.items.size(), 250u);
  for (size_t i = 0; i < 250; ++i) {
    const ItemRecord& a = cot.items[i].item;
    const ItemRecord& b = direct.items[i].item;
    ASSERT_EQ(a.benchmark, "bbh");
    ASSERT_EQ(a.task, "date_understanding");
    ASSERT_EQ(a.source_id, std::to_string(i));
    ASSERT_EQ(a.source_id, b.source_id);
    ASSERT_EQ(a.reference, b.reference) << i;  // same question, same answer
    ASSERT_NE(a.prompt, b.prompt);             // CoT and direct prompts differ
  }
  // The CoT predictions end in "So the answer is X." (the data's README).
  EXPECT_NE(cot.items[0].responses[0].text.find("So the answer is "), std::string::npos);
}

TEST(GenericImporterRealData, BbhAllTasksOfTheCotRun) {
  REQUIRE_SHARED_DATA();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(bbh_outputs("cot", "x").parent_path())) {
    if (e.path().filename().string().ends_with("_0-255000.json")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 27u);
  RecordingSink sink;
  import_generic(files, bbh_mapping(), RunInfo{}, sink, nullptr);
  std::map<std::string, int> per_task;
  for (const auto& i : sink.items) ++per_task[i.item.task];
  EXPECT_EQ(per_task.size(), 27u);
  EXPECT_EQ(sink.items.size(), 6511u);  // BBH's 6,511 items
  EXPECT_EQ(per_task["date_understanding"], 250);
}

TEST(GenericImporterRealData, Gsm8kExampleSolutionsOneRunPerModelField) {
  REQUIRE_SHARED_DATA();
  fs::path file = testing::shared_data_dir() / "gsm8k" / "example_model_solutions.jsonl";
  for (const char* model : {"6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"}) {
    GenericMapping m;
    m.benchmark = "gsm8k";
    m.input_pointer = "/question";
    m.response_pointer = std::string("/") + model + "/solution";
    m.target_pointer = "/ground_truth";
    RecordingSink sink;
    import_generic({file}, m, RunInfo{}, sink, nullptr);
    ASSERT_EQ(sink.items.size(), 1319u) << model;  // the GSM8K test set
    EXPECT_EQ(sink.items[0].item.task, "gsm8k");
    EXPECT_TRUE(sink.items[0].item.prompt.starts_with("Janet\u2019s ducks lay 16 eggs per day."));
    EXPECT_TRUE(sink.items[0].item.reference.ends_with("\nA: 18"));  // this file's ground truth ends in "A: N"
    EXPECT_EQ(sink.items[1318].item.source_id, "1318");
    EXPECT_EQ(sink.items[1318].item.origin.line, 1319);
  }
}

TEST(GenericImporterRealData, QwenMathCot100HasEightSamplesPerProblem) {
  REQUIRE_SHARED_DATA();
  GenericMapping m;
  m.benchmark = "math";
  m.id_pointer = "/idx";
  m.input_pointer = "/question";
  m.responses_pointer = "/code";
  m.target_pointer = "/gt";
  m.metadata_pointers = {"/level"};
  RecordingSink sink;
  import_generic({testing::shared_data_dir() / "model_outputs" / "qwen25math_math_cot_100" / "math_cot_100.jsonl"}, m,
                 RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 100u);
  for (const auto& i : sink.items) {
    ASSERT_EQ(i.responses.size(), 8u) << i.item.source_id;
    ASSERT_EQ(i.responses[7].sample_index, 7);
    ASSERT_TRUE(i.item.metadata_json.starts_with(R"({"level":"Level )")) << i.item.metadata_json;
  }
  EXPECT_EQ(sink.items[0].item.source_id, "0");
  EXPECT_EQ(sink.items[0].item.reference, "420");
}

}  // namespace
}  // namespace caploop
