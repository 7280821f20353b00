// The EvalScope importer on a real EvalScope 1.x output folder (tests/fixtures/evalscope: qwen-plus on 10 GSM8K and
// 10 GPQA-diamond samples, from EvalScope's own examples) and on small synthetic files for repeats and old reviews.
#include "io/evalscope_importer.h"

#include <gtest/gtest.h>

#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

fs::path outputs() { return testing::fixtures_dir() / "evalscope" / "outputs"; }

TEST(EvalScopeImporter, RealOutputFolder) {
  RecordingSink sink;
  import_evalscope({outputs()}, RunInfo{}, sink, nullptr);  // outputs/: its latest (only) timestamp folder
  EXPECT_EQ(sink.run_info.harness, "evalscope");
  EXPECT_EQ(sink.run_info.model, "qwen-plus");
  ASSERT_EQ(sink.items.size(), 20u);
  // Review files in name order (gpqa_diamond_default, gsm8k_main); items by index though the file is unordered.
  EXPECT_EQ(sink.items[0].item.benchmark, "gpqa");
  EXPECT_EQ(sink.items[0].item.task, "gpqa_diamond");
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(sink.items[10 + i].item.source_id, std::to_string(i));
  const auto& robe = sink.find("gsm8k", "1");
  EXPECT_EQ(robe.item.benchmark, "gsm8k");
  EXPECT_EQ(robe.item.reference, "3");
  EXPECT_TRUE(robe.item.prompt.starts_with("Here are some examples of how to solve similar problems:"));
  EXPECT_TRUE(robe.item.prompt.ends_with("put your final answer within \\boxed{}."));
  EXPECT_NE(robe.item.metadata_json.find("\"reasoning\""), std::string::npos);
  ASSERT_EQ(robe.responses.size(), 1u);
  const ResponseRecord& r = robe.responses[0];
  EXPECT_TRUE(r.text.ends_with("ANSWER: $\\boxed{3}$")) << r.text;
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.n_tokens, 102);
  EXPECT_EQ(r.harness_metrics, (std::vector<std::pair<std::string, double>>{{"acc,none", 1.0}}));
  EXPECT_EQ(sink.find("gpqa_diamond", "0").item.reference, "C");
  // The reports' per-subset scores: GSM8K 1.0 and GPQA-diamond 0.8, as the mean of the per-sample values.
  ASSERT_EQ(sink.run_info.harness_aggregates.size(), 2u);
  for (const HarnessAggregate& a : sink.run_info.harness_aggregates) {
    EXPECT_EQ(a.metric, "acc,none");
    double sum = 0;
    int n = 0;
    for (const auto& i : sink.items) {
      if (i.item.task != a.task) continue;
      sum += i.responses[0].harness_metrics.at(0).second;
      ++n;
    }
    EXPECT_EQ(n, 10) << a.task;
    EXPECT_NEAR(a.value, sum / n, 1e-12) << a.task;
  }
}

TEST(EvalScopeImporter, RepeatsAreSamplesOfTheirGroupAndOldReviewsKeepTheirInput) {
  testing::TempDir tmp;
  fs::path reviews = tmp / "out" / "reviews" / "m";
  testing::write_file(
      reviews / "gsm8k_main.jsonl",
      R"({"index": 3, "target": "5", "input": "What is 2+3?", "sample_score": {"score": {"value": {"acc": 0.0}, "prediction": "ANSWER: 4"}, "sample_id": 3, "group_id": 0}})"
      "\n"
      R"({"index": 0, "target": "5", "input": "What is 2+3?", "sample_score": {"score": {"value": {"acc": true}, "prediction": "ANSWER: 5"}, "sample_id": 0, "group_id": 0}})"
      "\n");
  RecordingSink sink;
  import_evalscope({tmp / "out"}, RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 1u);
  EXPECT_EQ(sink.items[0].item.source_id, "0");
  EXPECT_EQ(sink.items[0].item.prompt, "What is 2+3?");
  ASSERT_EQ(sink.items[0].responses.size(), 2u);
  EXPECT_EQ(sink.items[0].responses[0].text, "ANSWER: 5");  // sample 0 first
  EXPECT_EQ(sink.items[0].responses[1].sample_index, 1);
  EXPECT_EQ(sink.items[0].responses[0].harness_metrics[0].second, 1.0);
  EXPECT_FALSE(sink.items[0].responses[0].finish_reason.has_value());  // no predictions file
  testing::write_file(reviews / "gsm8k_main.jsonl", R"({"target": "5"})"
                                                    "\n");
  testing::expect_input_error([&] { import_evalscope({reviews}, RunInfo{}, sink, nullptr); }, "gsm8k_main.jsonl", 1,
                              "/index", "missing field");
}

}  // namespace
}  // namespace caploop
