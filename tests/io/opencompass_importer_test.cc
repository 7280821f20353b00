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
  testing::write_file(tmp / "predictions" / "a" / "gsm8k.json",
                      R"({"0": {"origin_prompt": "q", "prediction": "p", "gold": "1"}})");
  testing::write_file(tmp / "predictions" / "b" / "gsm8k.json",
                      R"({"0": {"origin_prompt": "q", "prediction": "p", "gold": "1"}})");
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

const char* kRecord = R"({"origin_prompt": "q", "prediction": "p", "gold": "1"})";

std::string records(std::initializer_list<const char*> keys) {
  std::string out = "{";
  for (const char* k : keys) out += std::string(out.size() > 1 ? ", " : "") + "\"" + k + "\": " + kRecord;
  return out + "}";
}

std::vector<std::string> ids_of(const RecordingSink& sink) {
  std::vector<std::string> ids;
  for (const auto& i : sink.items) ids.push_back(i.item.benchmark + ":" + i.item.source_id);
  return ids;
}

TEST(OpenCompassImporter, SplitPartsRestartingTheirKeysFollowEachOther) {
  // OpenCompass's SizePartitioner writes each part's records from "0" again and concatenates the parts in order.
  testing::TempDir tmp;
  testing::write_file(tmp / "m" / "gsm8k_0.json", records({"0", "1"}));
  testing::write_file(tmp / "m" / "gsm8k_1.json", records({"0", "1"}));
  testing::write_file(tmp / "m" / "gsm8k_2.json", records({"0"}));
  RecordingSink sink;
  import_opencompass({tmp / "m"}, RunInfo{}, sink, nullptr);
  EXPECT_EQ(ids_of(sink), (std::vector<std::string>{"gsm8k:0", "gsm8k:1", "gsm8k:2", "gsm8k:3", "gsm8k:4"}));
  EXPECT_TRUE(sink.items[2].item.origin.file.ends_with("gsm8k_1.json"));
  EXPECT_EQ(sink.items[2].item.origin.field, "/0");
}

TEST(OpenCompassImporter, LonePartIsAPartOfItsDataset) {
  testing::TempDir tmp;
  // Keys continuing from an earlier part: gsm8k_1.json is part 1 of gsm8k, not a dataset "gsm8k_1".
  testing::write_file(tmp / "a" / "m" / "gsm8k_1.json", records({"2", "3"}));
  RecordingSink sink;
  import_opencompass({tmp / "a" / "m" / "gsm8k_1.json"}, RunInfo{}, sink, nullptr);
  EXPECT_EQ(ids_of(sink), (std::vector<std::string>{"gsm8k:2", "gsm8k:3"}));
  // Restarted keys without part 0: the items' places in the dataset are unknown.
  testing::write_file(tmp / "b" / "m" / "gsm8k_1.json", records({"0", "1"}));
  RecordingSink none;
  testing::expect_input_error([&] { import_opencompass({tmp / "b" / "m"}, RunInfo{}, none, nullptr); }, "gsm8k_1.json",
                              0, "", "part 0 is not among the inputs");
  // A whole gsm8k.json beside gsm8k_1.json keeps them apart.
  testing::write_file(tmp / "c" / "m" / "gsm8k.json", records({"0"}));
  testing::write_file(tmp / "c" / "m" / "gsm8k_1.json", records({"0"}));
  RecordingSink apart;
  import_opencompass({tmp / "c" / "m"}, RunInfo{}, apart, nullptr);
  EXPECT_EQ(ids_of(apart), (std::vector<std::string>{"gsm8k:0", "gsm8k_1:0"}));
}

TEST(OpenCompassImporter, KeyRepeatedAcrossSplitPartsIsRefused) {
  // Part 1 neither restarts at "0" nor continues after part 0: its "1" is an item of part 0 again.
  testing::TempDir tmp;
  testing::write_file(tmp / "m" / "gsm8k_0.json", records({"0", "1"}));
  testing::write_file(tmp / "m" / "gsm8k_1.json", records({"1"}));
  RecordingSink sink;
  testing::expect_input_error([&] { import_opencompass({tmp / "m"}, RunInfo{}, sink, nullptr); }, "gsm8k_1.json", 0,
                              "/1", "earlier part");
}

}  // namespace
}  // namespace caploop
