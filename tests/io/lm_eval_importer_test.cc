#include "io/lm_eval_importer.h"

#include <gtest/gtest.h>

#include "io/lm_eval_importer_samples.h"
#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

fs::path lm_eval_fixtures() { return testing::fixtures_dir() / "lm_eval"; }

RunInfo user_run() {
  RunInfo run;
  run.name = "r1";
  return run;
}

TEST(LmEvalImporter, V04FolderWithTwoFiltersPerDoc) {
  RecordingSink sink;
  import_lm_eval({lm_eval_fixtures() / "v04_gsm8k"}, user_run(), sink, nullptr);
  ASSERT_EQ(sink.items.size(), 3u);  // 6 records: 3 docs x 2 filters
  const auto& first = sink.items[0];
  EXPECT_EQ(first.item.benchmark, "gsm8k");
  EXPECT_EQ(first.item.task, "gsm8k");
  EXPECT_EQ(first.item.source_id, "0");
  EXPECT_EQ(first.item.reference, "18");
  EXPECT_TRUE(first.item.question.starts_with("Janet\u2019s ducks lay 16 eggs per day."));
  EXPECT_TRUE(first.item.prompt.starts_with("Q: There are 15 trees in the grove."));
  EXPECT_TRUE(first.item.prompt.ends_with("farmers' market?\nA:"));
  EXPECT_TRUE(first.item.content_hash.starts_with("986c19252f3c7f6e"));
  EXPECT_TRUE(first.item.metadata_json.starts_with(R"({"question":"Janet)")) << first.item.metadata_json;
  EXPECT_NE(first.item.metadata_json.find(R"("answer":)"), std::string::npos);
  EXPECT_TRUE(first.item.origin.file.ends_with(".jsonl"));
  EXPECT_EQ(first.item.origin.line, 1);
  ASSERT_EQ(first.responses.size(), 1u);
  EXPECT_TRUE(first.responses[0].text.ends_with("The answer is 18."));
  using Filtered = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(first.responses[0].filtered, (Filtered{{"strict-match", "18"}, {"flexible-extract", "18"}}));
  const auto& third = sink.items[2];
  EXPECT_EQ(third.item.source_id, "2");
  EXPECT_EQ(third.item.origin.line, 3);
  EXPECT_EQ(third.responses[0].filtered, (Filtered{{"strict-match", "[invalid]"}, {"flexible-extract", "70000"}}));
}

TEST(LmEvalImporter, ResultsFileGivesModelCheckpointAndGenerationSettings) {
  RecordingSink sink;
  import_lm_eval({lm_eval_fixtures() / "v04_gsm8k"}, user_run(), sink, nullptr);
  ASSERT_EQ(sink.runs_begun, 1);
  const RunInfo& run = sink.run_info;
  EXPECT_EQ(run.name, "r1");
  EXPECT_EQ(run.harness, "lm-eval");
  EXPECT_EQ(run.model, "EleutherAI/pythia-160m");
  EXPECT_EQ(run.checkpoint, "step143000");
  EXPECT_EQ(run.generation.stop_sequences, (std::vector<std::string>{"Q:", "</s>", "<|im_end|>"}));
  EXPECT_EQ(run.generation.max_new_tokens, 256);
  EXPECT_EQ(run.generation.temperature, 0.0);
  EXPECT_EQ(run.generation.do_sample, false);
  EXPECT_FALSE(run.generation.top_p.has_value());
  EXPECT_EQ(run.generation.repeats, 1);
  EXPECT_EQ(run.generation.extra_json, "{}");
}

TEST(LmEvalImporter, UserGivenModelIsKept) {
  RecordingSink sink;
  RunInfo run = user_run();
  run.model = "my-model";
  run.checkpoint = "step-1000";
  import_lm_eval({lm_eval_fixtures() / "v04_gsm8k"}, run, sink, nullptr);
  EXPECT_EQ(sink.run_info.model, "my-model");
  EXPECT_EQ(sink.run_info.checkpoint, "step-1000");
}

TEST(LmEvalImporter, RepeatsBecomeSamplesAndFilterValuesGoToTheirSample) {
  RecordingSink sink;
  import_lm_eval({lm_eval_fixtures() / "v04_repeats"}, user_run(), sink, nullptr);
  ASSERT_EQ(sink.items.size(), 2u);
  const auto& second = sink.find("gsm8k", "1");
  ASSERT_EQ(second.responses.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(second.responses[i].sample_index, i);
  EXPECT_EQ(second.responses[1].text, "... 2 + 2 = 4. The answer is 4.");
  using Filtered = std::vector<std::pair<std::string, std::string>>;
  // score-first and maj@3 give one value per document (kept on sample 0); first-3 one per repeat.
  EXPECT_EQ(second.responses[0].filtered, (Filtered{{"score-first", "3"}, {"maj@3", "3"}, {"first-3", "3"}}));
  EXPECT_EQ(second.responses[1].filtered, (Filtered{{"first-3", "4"}}));
  EXPECT_EQ(second.responses[2].filtered, (Filtered{{"first-3", "3"}}));
  const RunInfo& run = sink.run_info;
  EXPECT_EQ(run.model, "Qwen/Qwen2.5-0.5B");  // model_args given as an object
  EXPECT_EQ(run.generation.repeats, 3);
  EXPECT_EQ(run.generation.do_sample, true);
  EXPECT_EQ(run.generation.top_p, 0.95);
  EXPECT_EQ(run.generation.temperature, 0.2);
}

TEST(LmEvalImporter, OldListShapesAndLoglikelihoodChoices) {
  RecordingSink sink;
  import_lm_eval({lm_eval_fixtures() / "v03_old_shapes" / "samples_mmlu_abstract_algebra.json"}, user_run(), sink,
                 nullptr);
  ASSERT_EQ(sink.items.size(), 2u);
  const auto& first = sink.items[0];
  EXPECT_EQ(first.item.benchmark, "mmlu");
  EXPECT_EQ(first.item.task, "abstract_algebra");
  EXPECT_EQ(first.item.reference, "1");  // a numeric target becomes text
  EXPECT_EQ(first.item.origin.line, 0);
  EXPECT_EQ(first.item.origin.field, "/0");
  ASSERT_EQ(first.responses.size(), 1u);
  // Log-likelihoods -2.5, -0.7, -1.9, -3.1: choice B is the argmax; its continuation is the response.
  EXPECT_EQ(first.responses[0].text, " B");
  using Filtered = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(first.responses[0].filtered, (Filtered{{"none", " B"}}));
  EXPECT_EQ(sink.items[1].responses[0].text, " C");  // -1.4, -1.1, -0.9, -2.0
  EXPECT_EQ(sink.run_info.generation.extra_json, "{}");  // no results file here
}

TEST(LmEvalImporter, OldJsonlFileHoldingOneArrayWithListArguments) {
  RecordingSink sink;
  import_lm_eval({lm_eval_fixtures() / "v03_old_shapes" / "samples_bbh_cot_fewshot_date_understanding.jsonl"},
                 user_run(), sink, nullptr);
  ASSERT_EQ(sink.items.size(), 2u);
  const auto& first = sink.items[0];
  EXPECT_EQ(first.item.benchmark, "bbh");
  EXPECT_EQ(first.item.task, "date_understanding");
  EXPECT_EQ(first.item.reference, "(B)");
  EXPECT_TRUE(first.item.prompt.starts_with("Infer the date from context.\n\nQ: Today is Christmas Eve of 1937."));
  EXPECT_TRUE(first.item.question.starts_with("Today is Christmas Eve of 1937."));
  EXPECT_EQ(first.responses[0].text, "Let's think step by step. ... So the answer is (B).");
  using Filtered = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(first.responses[0].filtered, (Filtered{{"none", "(B)"}}));
}

TEST(LmEvalImporter, SeveralTasksAreOneRunAndDisagreeingSettingsAreKeptPerTask) {
  RecordingSink sink;
  import_lm_eval({lm_eval_fixtures() / "v04_multi_task"}, user_run(), sink, nullptr);
  EXPECT_EQ(sink.runs_begun, 1);
  ASSERT_EQ(sink.items.size(), 4u);
  // Files in path order: bbh_... before minerva_math_...
  EXPECT_EQ(sink.items[0].item.benchmark, "bbh");
  EXPECT_EQ(sink.items[2].item.benchmark, "math");
  EXPECT_EQ(sink.items[2].item.task, "algebra");
  EXPECT_NE(sink.items[2].item.metadata_json.find(R"("level":"Level)"), std::string::npos);
  const GenerationSettings& g = sink.run_info.generation;
  EXPECT_EQ(sink.run_info.model, "meta-llama/Llama-3.2-1B");
  EXPECT_EQ(g.max_new_tokens, 512);  // the first task's (bbh) settings
  EXPECT_EQ(g.stop_sequences, (std::vector<std::string>{"</s>", "Q:", "<|im_end|>"}));
  EXPECT_NE(g.extra_json.find(R"("lm_eval_per_task":{"bbh_cot_fewshot_date_understanding":{"generation_kwargs")"),
            std::string::npos)
      << g.extra_json;
  EXPECT_NE(g.extra_json.find(R"("minerva_math_algebra":{"generation_kwargs":{"until":["Problem:"])"),
            std::string::npos)
      << g.extra_json;
}

TEST(LmEvalImporter, TwoTasksMappingToTheSameItemsAreRefused) {
  RecordingSink sink;
  testing::TempDir tmp;
  fs::path a = lm_eval_fixtures() / "v04_gsm8k" / "EleutherAI__pythia-160m" /
               "samples_gsm8k_cot_2024-06-01T10-00-00.123456.jsonl";
  fs::path b = lm_eval_fixtures() / "v04_repeats" / "model" /
               "samples_gsm8k_cot_self_consistency_2024-06-02T08-30-00.000001.jsonl";
  testing::expect_input_error([&] { import_lm_eval({a, b}, user_run(), sink, nullptr); }, b.filename().string(), 0,
                              "", "separate runs");
}

TEST(LmEvalImporter, JsonLinesContentIsReadWhateverTheExtension) {
  testing::TempDir tmp;
  fs::path jsonl = lm_eval_fixtures() / "v04_gsm8k" / "EleutherAI__pythia-160m" /
                   "samples_gsm8k_cot_2024-06-01T10-00-00.123456.jsonl";
  testing::write_file(tmp / "samples_gsm8k_cot.json", testing::read_file(jsonl));
  RecordingSink sink;
  import_lm_eval({tmp / "samples_gsm8k_cot.json"}, user_run(), sink, nullptr);
  ASSERT_EQ(sink.items.size(), 3u);
  EXPECT_EQ(sink.items[2].responses[0].filtered.size(), 2u);
  EXPECT_EQ(sink.run_info.model, "");  // no results file beside it
}

TEST(LmEvalImporter, FileNameParts) {
  LmEvalFileName n = parse_lm_eval_file_name("x/samples_gsm8k_cot_2024-05-10T12-34-56.123456.jsonl");
  EXPECT_EQ(n.task, "gsm8k_cot");
  EXPECT_EQ(n.date, "2024-05-10T12-34-56.123456");
  n = parse_lm_eval_file_name("samples_mmlu_abstract_algebra.json");
  EXPECT_EQ(n.task, "mmlu_abstract_algebra");
  EXPECT_EQ(n.date, "");
  n = parse_lm_eval_file_name("samples_aime24_2025-01-02T03-04-05.000001.jsonl.zst");
  EXPECT_EQ(n.task, "aime24");
}

TEST(LmEvalImporter, FolderWithoutSamplesIsNotFound) {
  testing::TempDir tmp;
  RecordingSink sink;
  try {
    import_lm_eval({tmp.path()}, user_run(), sink, nullptr);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

}  // namespace
}  // namespace caploop
