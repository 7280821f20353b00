// The Inspect AI importer on real-shaped logs (tests/io/make_inspect_logs.py: GSM8K with OpenAI's real model
// solutions, scored as Inspect's gsm8k task scores them): .json and .eval (deflate and zstd), epochs 1 and 4.
#include "io/inspect_importer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "inspect_logs.h"
#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

RecordingSink import(const std::vector<fs::path>& paths) {
  RecordingSink sink;
  RunInfo run;
  run.name = "r";
  import_inspect(paths, run, sink, nullptr);
  return sink;
}

double metric(const ResponseRecord& r, const std::string& name) {
  for (const auto& [n, v] : r.harness_metrics) {
    if (n == name) return v;
  }
  ADD_FAILURE() << "no metric " << name;
  return NAN;
}

// The mean over items of the mean over each item's responses of "match,none": Inspect's accuracy with the
// "mean" epoch reducer.
double reduced_mean(const RecordingSink& sink) {
  double total = 0;
  for (const auto& i : sink.items) {
    double item = 0;
    for (const auto& r : i.responses) item += metric(r, "match,none");
    total += item / static_cast<double>(i.responses.size());
  }
  return total / static_cast<double>(sink.items.size());
}

TEST(InspectImporter, JsonLogWithOneEpoch) {
  REQUIRE_SHARED_DATA();
  RecordingSink sink = import({testing::inspect_logs_dir() / "gsm8k_epochs1.json"});
  EXPECT_EQ(sink.run_info.harness, "inspect");
  EXPECT_EQ(sink.run_info.model, "openai/gpt-3-gsm8k-solutions");
  EXPECT_EQ(sink.run_info.generation.max_new_tokens, 512);
  EXPECT_EQ(sink.run_info.generation.temperature, 0.5);
  EXPECT_EQ(sink.run_info.generation.repeats, 1);
  ASSERT_EQ(sink.items.size(), 1319u);
  const auto& first = sink.items.front();
  EXPECT_EQ(first.item.benchmark, "gsm8k");
  EXPECT_EQ(first.item.task, "gsm8k");
  EXPECT_EQ(first.item.source_id, "1");
  EXPECT_TRUE(first.item.question.starts_with("Janet\xE2\x80\x99s ducks lay 16 eggs")) << first.item.question;
  EXPECT_EQ(first.item.reference, "18");
  EXPECT_NE(first.item.metadata_json.find("\"reasoning\""), std::string::npos);
  ASSERT_EQ(first.responses.size(), 1u);
  const ResponseRecord& r = first.responses[0];
  EXPECT_EQ(r.sample_index, 0);
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_TRUE(r.text.find("\nANSWER: ") != std::string::npos) << r.text;
  ASSERT_EQ(r.harness_metrics.size(), 1u);
  EXPECT_EQ(r.harness_metrics[0].first, "match,none");
  // The header's accuracy is the mean of the per-sample scores, and the standard error comes with it.
  ASSERT_EQ(sink.run_info.harness_aggregates.size(), 1u);
  const HarnessAggregate& a = sink.run_info.harness_aggregates[0];
  EXPECT_EQ(a.benchmark, "gsm8k");
  EXPECT_EQ(a.metric, "match,none");
  EXPECT_NEAR(a.value, reduced_mean(sink), 1e-12);
  EXPECT_NEAR(a.value, 742.0 / 1319, 1e-12);  // 742 solutions of the 175B verifier are right (is_correct)
  ASSERT_TRUE(a.stderr_value.has_value());
  EXPECT_GT(*a.stderr_value, 0.01);
}

TEST(InspectImporter, ZstdEvalLogWithFourEpochsInIdOrder) {
  REQUIRE_SHARED_DATA();
  RecordingSink sink = import({testing::inspect_logs_dir() / "gsm8k_epochs4.eval"});
  ASSERT_EQ(sink.items.size(), 1319u);
  // Samples are stored last id first; items come in numeric id order, epochs as sample indices 0..3.
  for (size_t i = 0; i < sink.items.size(); ++i) {
    ASSERT_EQ(sink.items[i].item.source_id, std::to_string(i + 1));
    ASSERT_EQ(sink.items[i].responses.size(), 4u);
    for (int64_t s = 0; s < 4; ++s) EXPECT_EQ(sink.items[i].responses[s].sample_index, s);
  }
  EXPECT_TRUE(sink.items[0].item.origin.file.ends_with("gsm8k_epochs4.eval/samples/1_epoch_1.json"))
      << sink.items[0].item.origin.file;
  // Epoch 2 of every 97th question was cut at the length limit.
  const auto& cut = sink.items[96].responses[1];
  EXPECT_EQ(cut.finish_reason, "max_tokens");
  EXPECT_EQ(sink.items[96].responses[0].finish_reason, "stop");
  EXPECT_EQ(sink.run_info.generation.repeats, 4);
  ASSERT_EQ(sink.run_info.harness_aggregates.size(), 1u);
  EXPECT_NEAR(sink.run_info.harness_aggregates[0].value, reduced_mean(sink), 1e-12);
}

TEST(InspectImporter, DeflateEvalLogAndFolderOfLogs) {
  REQUIRE_SHARED_DATA();
  RecordingSink one = import({testing::inspect_logs_dir() / "gsm8k_epochs1_deflate.eval"});
  ASSERT_EQ(one.items.size(), 50u);
  EXPECT_EQ(one.items[49].item.source_id, "50");
  // A folder with three logs of the same task is refused, naming two of them.
  Error e = testing::expect_error([&] { import({testing::inspect_logs_dir()}); });
  EXPECT_EQ(e.kind(), ErrorKind::kUsage);
  EXPECT_NE(e.message().find("two Inspect logs of task inspect_evals/gsm8k"), std::string::npos) << e.message();
}

TEST(InspectImporter, ScoreValuesAsInspectsValueToFloat) {
  EXPECT_EQ(inspect_value_to_float("C"), 1.0);
  EXPECT_EQ(inspect_value_to_float("I"), 0.0);
  EXPECT_EQ(inspect_value_to_float("P"), 0.5);
  EXPECT_EQ(inspect_value_to_float("N"), 0.0);
  EXPECT_EQ(inspect_value_to_float("Yes"), 1.0);
  EXPECT_EQ(inspect_value_to_float("false"), 0.0);
  EXPECT_EQ(inspect_value_to_float("0.25"), 0.25);
  EXPECT_EQ(inspect_value_to_float("c"), std::nullopt);  // the letters are compared exactly
  EXPECT_EQ(inspect_value_to_float("nan"), std::nullopt);
}

const char* kLogHead = R"({"version": 2, "status": "success", "eval": {"task": "demo", "model": "m"}, )";

TEST(InspectImporter, ContentPartsNumbersAndDictScoresAndBadInput) {
  testing::TempDir dir;
  fs::path log = dir / "demo.json";
  testing::write_file(log, std::string(kLogHead) + R"("samples": [
    {"id": "b", "epoch": 1, "input": [{"role": "system", "content": "sys"}, {"role": "user", "content": [{"type": "text", "text": "Q?"}]}],
     "target": ["x", "y"], "choices": ["x", "z"],
     "output": {"completion": "", "choices": [{"message": {"role": "assistant", "content": [
        {"type": "reasoning", "reasoning": "hmm"}, {"type": "text", "text": "one"}, {"type": "text", "text": "two"}]},
        "stop_reason": "model_length"}]},
     "scores": {"s": {"value": {"acc": 1, "f1": 0.5, "label": "?"}}, "t": {"value": NaN}}},
    {"id": "a", "epoch": 1, "input": "plain", "target": "t", "output": {}, "error": {"message": "boom"}, "scores": null}
  ]})");
  RecordingSink sink = import({log});
  ASSERT_EQ(sink.items.size(), 2u);
  EXPECT_EQ(sink.items[0].item.source_id, "a");  // string ids in string order
  EXPECT_EQ(sink.items[0].responses[0].finish_reason, "error");
  EXPECT_TRUE(sink.items[0].responses[0].harness_metrics.empty());
  const auto& b = sink.items[1];
  EXPECT_EQ(b.item.question, "Q?");
  EXPECT_EQ(b.item.reference, "x");
  EXPECT_NE(b.item.metadata_json.find(R"("target":["x","y"])"), std::string::npos);
  EXPECT_EQ(b.responses[0].text, "one\ntwo");
  EXPECT_EQ(b.responses[0].finish_reason, "model_length");
  ASSERT_EQ(b.responses[0].harness_metrics.size(), 3u);
  EXPECT_EQ(b.responses[0].harness_metrics[0], (std::pair<std::string, double>{"s/acc,none", 1.0}));
  EXPECT_EQ(b.responses[0].harness_metrics[1], (std::pair<std::string, double>{"s/f1,none", 0.5}));
  EXPECT_EQ(b.responses[0].harness_metrics[2].first, "t,none");
  EXPECT_TRUE(std::isnan(b.responses[0].harness_metrics[2].second));

  testing::write_file(log, std::string(kLogHead) + R"("samples": [
    {"id": 1, "epoch": 1, "input": "q", "target": "t"},
    {"id": 1, "epoch": 1, "input": "q", "target": "t"}]})");
  testing::expect_input_error([&] { import({log}); }, "demo.json", 0, "/samples/1", "epoch 1 appears twice");
  testing::write_file(log, R"({"eval": {"model": "m"}, "samples": []})");
  testing::expect_input_error([&] { import({log}); }, "demo.json", 0, "/eval/task", "missing field");
  testing::write_file(log, std::string(kLogHead) + R"("samples": [{"id": 1.5, "input": "q", "target": "t"}]})");
  testing::expect_input_error([&] { import({log}); }, "demo.json", 0, "/samples/0/id", "expected a string or integer");
}

}  // namespace
}  // namespace caploop
