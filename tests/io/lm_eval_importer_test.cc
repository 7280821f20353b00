#include "io/lm_eval_importer.h"

#include <gtest/gtest.h>

#include <set>

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
  // configs.gsm8k_cot.num_fewshot is 8; the task's lm-eval name is kept per caploop task.
  EXPECT_EQ(run.generation.extra_json, R"({"num_fewshot":8,"harness_tasks":{"gsm8k/gsm8k":"gsm8k_cot"}})");
  // The results file's aggregates, value and stderr, under the mapped task.
  ASSERT_EQ(run.harness_aggregates.size(), 2u);
  EXPECT_EQ(run.harness_aggregates[0].benchmark, "gsm8k");
  EXPECT_EQ(run.harness_aggregates[0].metric, "exact_match,strict-match");
  EXPECT_DOUBLE_EQ(run.harness_aggregates[0].value, 0.6667);
  EXPECT_EQ(run.harness_aggregates[0].stderr_value, 0.3333);
  EXPECT_EQ(run.harness_aggregates[1].metric, "exact_match,flexible-extract");
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
  // Every choice without the target delimiter " ", with its log-likelihood, for the multiple-choice rules.
  EXPECT_EQ(first.responses[0].filtered,
            (Filtered{{"loglikelihoods", "-2.5\tA\n-0.7\tB\n-1.9\tC\n-3.1\tD\n"}, {"none", " B"}}));
  EXPECT_EQ(sink.items[1].responses[0].text, " C");  // -1.4, -1.1, -0.9, -2.0
  // no results file here: only the task's lm-eval name
  EXPECT_EQ(sink.run_info.generation.extra_json,
            R"({"harness_tasks":{"mmlu/abstract_algebra":"mmlu_abstract_algebra"}})");
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

TEST(LmEvalImporter, VariantsOfOneTaskAreKeptApartUnderTheirOwnName) {
  RecordingSink sink;
  fs::path a = lm_eval_fixtures() / "v04_gsm8k" / "EleutherAI__pythia-160m" /
               "samples_gsm8k_cot_2024-06-01T10-00-00.123456.jsonl";
  fs::path b = lm_eval_fixtures() / "v04_repeats" / "model" /
               "samples_gsm8k_cot_self_consistency_2024-06-02T08-30-00.000001.jsonl";
  std::vector<std::string> notes;
  import_lm_eval({b, a}, user_run(), sink, nullptr, &notes);
  std::set<std::string> tasks;
  for (const auto& item : sink.items) tasks.insert(item.item.benchmark + "/" + item.item.task);
  // gsm8k_cot is preferred over gsm8k_cot_self_consistency whatever the order the files come in
  EXPECT_EQ(tasks, (std::set<std::string>{"gsm8k/gsm8k", "gsm8k/gsm8k_cot_self_consistency"}));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("'gsm8k_cot_self_consistency' is a variant of gsm8k/gsm8k"), std::string::npos) << notes[0];
}

TEST(LmEvalImporter, SeveralDatesOfOneTaskReadTheLatestWithANote) {
  testing::TempDir tmp;
  fs::path src = lm_eval_fixtures() / "v04_gsm8k" / "EleutherAI__pythia-160m";
  std::string text = testing::read_file(src / "samples_gsm8k_cot_2024-06-01T10-00-00.123456.jsonl");
  testing::write_file(tmp / "samples_gsm8k_cot_2024-06-01T10-00-00.123456.jsonl", text);
  // the rerun has only the first document
  testing::write_file(tmp / "samples_gsm8k_cot_2024-07-01T10-00-00.000001.jsonl", text.substr(0, text.find('\n') + 1));
  RecordingSink sink;
  std::vector<std::string> notes;
  import_lm_eval({tmp.path()}, user_run(), sink, nullptr, &notes);
  EXPECT_EQ(sink.items.size(), 1u);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("samples_gsm8k_cot_2024-07-01T10-00-00.000001.jsonl"), std::string::npos) << notes[0];
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

namespace caploop {
namespace {

TEST(LmEvalImporter, ChatPromptsAndPerRecordMetricsAreRead) {
  testing::TempDir tmp;
  testing::write_file(
      tmp / "samples_gsm8k_2026-01-15T10-20-30.123456.jsonl",
      R"({"doc_id": 0, "doc": {"question": "What is 2+3?", "answer": "2+3=5\n#### 5"}, "target": "2+3=5\n#### 5", )"
      R"("arguments": {"gen_args_0": {"arg_0": [{"role": "system", "content": "Be brief."}, {"role": "user", )"
      R"("content": [{"type": "text", "text": "What is 2+3?"}]}], "arg_1": {"until": ["Question:"]}}}, )"
      R"("resps": [["#### 5"]], "filtered_resps": ["5"], "filter": "strict-match", "metrics": ["exact_match"], )"
      R"("exact_match": 1.0})"
      "\n"
      R"({"doc_id": 0, "doc": {"question": "What is 2+3?", "answer": "2+3=5\n#### 5"}, "target": "2+3=5\n#### 5", )"
      R"("arguments": {"gen_args_0": {"arg_0": [{"role": "system", "content": "Be brief."}, {"role": "user", )"
      R"("content": [{"type": "text", "text": "What is 2+3?"}]}], "arg_1": {"until": ["Question:"]}}}, )"
      R"("resps": [["#### 5"]], "filtered_resps": ["[invalid]"], "filter": "flexible-extract", "metrics": ["exact_match", "bleu"], )"
      R"("exact_match": 0.0, "bleu": ["5", "#### 5"]})"
      "\n");
  RecordingSink sink;
  import_lm_eval({tmp.path()}, user_run(), sink, nullptr);
  ASSERT_EQ(sink.items.size(), 1u);
  EXPECT_EQ(sink.items[0].item.prompt, "system: Be brief.\n\nuser: What is 2+3?");
  using Metrics = std::vector<std::pair<std::string, double>>;
  // one per filter, on the first response; a non-numeric value (bleu's pair) is skipped
  EXPECT_EQ(sink.items[0].responses[0].harness_metrics,
            (Metrics{{"exact_match,strict-match", 1.0}, {"exact_match,flexible-extract", 0.0}}));
}

}  // namespace
}  // namespace caploop
