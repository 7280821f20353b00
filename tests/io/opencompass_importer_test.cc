#include "io/opencompass_importer.h"

#include <gtest/gtest.h>

#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

fs::path predictions() { return testing::fixtures_dir() / "opencompass" / "predictions"; }

TEST(OpenCompassImporter, ModelFolderIsOneRunNamedAfterTheFolder) {
  RecordingSink sink;
  RunInfo run;
  run.name = "oc";
  import_opencompass({predictions() / "internlm2-chat-1_8b"}, run, sink, nullptr);
  EXPECT_EQ(sink.runs_begun, 1);
  EXPECT_EQ(sink.run_info.name, "oc");
  EXPECT_EQ(sink.run_info.model, "internlm2-chat-1_8b");
  EXPECT_EQ(sink.run_info.harness, "opencompass");
  // 5 bbh (split 3 + 2) + 3 gsm8k + 2 math + 2 mmlu.
  ASSERT_EQ(sink.items.size(), 12u);
  // Datasets in name order: bbh-date_understanding, gsm8k, math, mmlu-abstract_algebra.
  EXPECT_EQ(sink.items[0].item.benchmark, "bbh");
  EXPECT_EQ(sink.items[0].item.task, "date_understanding");
  EXPECT_EQ(sink.items[5].item.benchmark, "gsm8k");
  EXPECT_EQ(sink.items[8].item.benchmark, "math");
  EXPECT_EQ(sink.items[10].item.benchmark, "mmlu");
  EXPECT_EQ(sink.items[10].item.task, "abstract_algebra");
}

TEST(OpenCompassImporter, SplitFilesContinueTheirKeys) {
  RecordingSink sink;
  import_opencompass({predictions() / "internlm2-chat-1_8b" / "bbh-date_understanding_1.json",
                      predictions() / "internlm2-chat-1_8b" / "bbh-date_understanding_0.json"},
                     RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(sink.items[i].item.source_id, std::to_string(i));  // part 0 first
  const auto& fourth = sink.items[3];
  EXPECT_TRUE(fourth.item.origin.file.ends_with("bbh-date_understanding_1.json"));
  EXPECT_EQ(fourth.item.origin.field, "/3");
  EXPECT_EQ(fourth.item.reference, "(E)");
  EXPECT_EQ(fourth.responses[0].text, "So the answer is (E).");
  EXPECT_TRUE(fourth.item.prompt.starts_with("Follow the given examples and answer the question.\n\nQ: "));
}

TEST(OpenCompassImporter, ChatPromptsListPredictionsAndReferenceField) {
  RecordingSink sink;
  import_opencompass({predictions()}, RunInfo{}, sink, nullptr);  // the predictions folder with one model
  const auto& gsm = sink.find("gsm8k", "0");
  EXPECT_TRUE(gsm.item.prompt.starts_with(R"([{"role":"HUMAN","prompt":"Question: Janet)")) << gsm.item.prompt;
  EXPECT_EQ(gsm.item.reference, "18");
  ASSERT_EQ(gsm.responses.size(), 1u);
  const auto& math = sink.find("math", "1");
  ASSERT_EQ(math.responses.size(), 2u);
  EXPECT_EQ(math.responses[1].sample_index, 1);
  EXPECT_EQ(math.responses[1].text, "The answer is $\\boxed{2}$.");
  EXPECT_EQ(sink.find("abstract_algebra", "0").item.reference, "B");  // from "reference"
  EXPECT_EQ(sink.find("abstract_algebra", "1").item.reference, "1");  // a number becomes text
}

TEST(OpenCompassImporter, SeveralModelFoldersAreRefused) {
  testing::TempDir tmp;
  testing::write_file(tmp / "predictions" / "a" / "gsm8k.json", R"({"0": {"origin_prompt": "q", "prediction": "p", "gold": "1"}})");
  testing::write_file(tmp / "predictions" / "b" / "gsm8k.json", R"({"0": {"origin_prompt": "q", "prediction": "p", "gold": "1"}})");
  RecordingSink sink;
  try {
    import_opencompass({tmp / "predictions"}, RunInfo{}, sink, nullptr);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    EXPECT_NE(std::string(e.what()).find("a, b"), std::string::npos) << e.what();
  }
  EXPECT_EQ(sink.runs_begun, 0);
}

TEST(OpenCompassImporter, KeyRepeatedAcrossSplitPartsIsRefused) {
  testing::TempDir tmp;
  testing::write_file(tmp / "m" / "gsm8k_0.json", R"({"0": {"origin_prompt": "q", "prediction": "p", "gold": "1"}})");
  testing::write_file(tmp / "m" / "gsm8k_1.json", R"({"0": {"origin_prompt": "q", "prediction": "p", "gold": "1"}})");
  RecordingSink sink;
  testing::expect_input_error([&] { import_opencompass({tmp / "m"}, RunInfo{}, sink, nullptr); }, "gsm8k_1.json", 0,
                              "/0", "earlier part");
}

}  // namespace
}  // namespace caploop
