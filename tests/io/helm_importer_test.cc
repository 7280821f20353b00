// The HELM importer on a run folder as HELM writes it (tests/io/make_helm_run.py: the first 200 GSM8K questions
// with OpenAI's real 175B solutions, references and final_number_exact_match built as HELM builds them).
#include "io/helm_importer.h"

#include <gtest/gtest.h>

#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

const fs::path& helm_output() {
  static std::unique_ptr<testing::TempDir> dir;
  if (!dir) {
    dir = std::make_unique<testing::TempDir>();
    testing::CommandResult r =
        testing::run_command({"python3", (testing::source_dir() / "tests" / "io" / "make_helm_run.py").string(),
                              testing::shared_data_dir().string(), dir->path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return dir->path();
}

TEST(HelmImporter, RunFolderWithStats) {
  REQUIRE_SHARED_DATA();
  RecordingSink sink;
  import_helm({helm_output() / "runs" / "v1"}, RunInfo{}, sink, nullptr);  // the suite folder
  EXPECT_EQ(sink.run_info.harness, "helm");
  EXPECT_EQ(sink.run_info.model, "openai/gpt-3-175b");
  EXPECT_EQ(sink.run_info.generation.max_new_tokens, 400);
  EXPECT_EQ(sink.run_info.generation.stop_sequences, std::vector<std::string>{"\n\n"});
  ASSERT_EQ(sink.items.size(), 200u);
  const auto& first = sink.items[0];
  EXPECT_EQ(first.item.benchmark, "gsm8k");
  EXPECT_EQ(first.item.task, "gsm8k");
  EXPECT_EQ(first.item.source_id, "id0");
  EXPECT_TRUE(first.item.question.starts_with("Janet\xE2\x80\x99s ducks"));
  EXPECT_TRUE(first.item.reference.ends_with("The answer is 18.")) << first.item.reference;
  EXPECT_TRUE(first.item.prompt.starts_with("Q: Janet"));
  ASSERT_EQ(first.responses.size(), 1u);
  EXPECT_EQ(first.responses[0].finish_reason, "stop");
  EXPECT_EQ(sink.items[49].responses[0].finish_reason, "length");
  ASSERT_EQ(first.responses[0].harness_metrics.size(), 2u);
  EXPECT_EQ(first.responses[0].harness_metrics[0].first, "final_number_exact_match,none");
  EXPECT_EQ(first.responses[0].harness_metrics[1].first, "num_output_tokens,none");
  double sum = 0;
  for (const auto& i : sink.items) sum += i.responses[0].harness_metrics[0].second;
  // stats.json: the test split's mean (the valid split's row is passed over), equal to the per-instance mean.
  std::vector<HarnessAggregate> exact;
  for (const auto& a : sink.run_info.harness_aggregates) {
    if (a.metric == "final_number_exact_match,none") exact.push_back(a);
  }
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_NEAR(exact[0].value, sum / 200, 1e-12);
  EXPECT_EQ(exact[0].benchmark, "gsm8k");
}

TEST(HelmImporter, MissingInstanceIdIsAnInputError) {
  testing::TempDir tmp;
  fs::path run = tmp / "math:subject=algebra,level=1";
  testing::write_file(
      run / "scenario_state.json",
      R"({"adapter_spec": {}, "request_states": [{"instance": {"input": {"text": "q"}, "references": []}, )"
      R"("request": {"prompt": "q"}, "result": {"completions": [{"text": "a"}]}}]})");
  RecordingSink sink;
  testing::expect_input_error([&] { import_helm({run}, RunInfo{}, sink, nullptr); }, "scenario_state.json", 0,
                              "/request_states/0/instance/id", "missing field");
}

}  // namespace
}  // namespace caploop
