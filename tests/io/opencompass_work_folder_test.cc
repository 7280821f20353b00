// The OpenCompass importer on a work folder as OpenCompass leaves it (tests/io/make_opencompass_outputs.py:
// GSM8K with OpenAI's real model solutions, split in three parts, evaluated as OpenCompass's gsm8k evaluator does).
#include <gtest/gtest.h>

#include "io/opencompass_importer.h"
#include "opencompass_outputs.h"
#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::RecordingSink;

TEST(OpenCompassWorkFolder, LatestTimestampAndTheModelNamedAreRead) {
  REQUIRE_SHARED_DATA();
  RecordingSink sink;
  RunInfo run;
  run.model = "gpt-3-175b";
  import_opencompass({testing::opencompass_outputs_dir()}, run, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 1319u);  // the latest timestamp (the older one has 100 questions)
  for (size_t i = 0; i < sink.items.size(); ++i) ASSERT_EQ(sink.items[i].item.source_id, std::to_string(i));
  // 1319 records in three parts of 440, 440 and 439, each numbered from "0".
  EXPECT_TRUE(sink.items[440].item.origin.file.ends_with("20260115_100000/predictions/gpt-3-175b/gsm8k_1.json"));
  EXPECT_EQ(sink.items[440].item.origin.field, "/0");
  EXPECT_EQ(sink.items[0].item.reference, "18");
  // The evaluator's per-item correctness and its accuracy (percent in the file, a fraction here).
  double correct = 0;
  for (const auto& i : sink.items) {
    ASSERT_EQ(i.responses[0].harness_metrics.size(), 1u);
    EXPECT_EQ(i.responses[0].harness_metrics[0].first, "accuracy,none");
    correct += i.responses[0].harness_metrics[0].second;
  }
  ASSERT_EQ(sink.run_info.harness_aggregates.size(), 1u);
  const HarnessAggregate& a = sink.run_info.harness_aggregates[0];
  EXPECT_EQ(a.benchmark, "gsm8k");
  EXPECT_EQ(a.metric, "accuracy,none");
  EXPECT_NEAR(a.value, correct / 1319, 1e-12);
  EXPECT_NEAR(a.value, 742.0 / 1319, 1e-12);  // the 175B verifier's published is_correct count
}

TEST(OpenCompassWorkFolder, SeveralModelsNeedModel) {
  REQUIRE_SHARED_DATA();
  RecordingSink sink;
  Error e = testing::expect_error(
      [&] { import_opencompass({testing::opencompass_outputs_dir()}, RunInfo{}, sink, nullptr); });
  EXPECT_EQ(e.kind(), ErrorKind::kUsage);
  EXPECT_NE(e.message().find("gpt-3-175b, gpt-3-6b"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("--model"), std::string::npos) << e.message();
  RunInfo run;
  run.model = "gpt-4";
  e = testing::expect_error([&] { import_opencompass({testing::opencompass_outputs_dir()}, run, sink, nullptr); });
  EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  // A timestamp folder itself, and the older run with its single part gsm8k_0.json.
  RecordingSink old;
  run.model = "gpt-3-6b";
  import_opencompass({testing::opencompass_outputs_dir() / "20260114_090000"}, run, old, nullptr);
  EXPECT_EQ(old.items.size(), 100u);
  EXPECT_EQ(old.items[99].item.source_id, "99");
}

}  // namespace
}  // namespace caploop
