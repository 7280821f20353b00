#include "io/task_names.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

BenchmarkTask bt(const char* b, const char* t) { return {b, t}; }

TEST(TaskNames, LmEvalBbhVariantsMapToTheBbhTask) {
  EXPECT_EQ(map_lm_eval_task("bbh_cot_fewshot_date_understanding"), bt("bbh", "date_understanding"));
  EXPECT_EQ(map_lm_eval_task("bbh_cot_zeroshot_navigate"), bt("bbh", "navigate"));
  EXPECT_EQ(map_lm_eval_task("bbh_fewshot_snarks"), bt("bbh", "snarks"));
  EXPECT_EQ(map_lm_eval_task("bbh_zeroshot_word_sorting"), bt("bbh", "word_sorting"));
}

TEST(TaskNames, LmEvalMathTasksMapToMathSubjects) {
  EXPECT_EQ(map_lm_eval_task("minerva_math_algebra"), bt("math", "algebra"));
  EXPECT_EQ(map_lm_eval_task("minerva_math_counting_and_prob"), bt("math", "counting_and_prob"));
  EXPECT_EQ(map_lm_eval_task("hendrycks_math_intermediate_algebra"), bt("math", "intermediate_algebra"));
  EXPECT_EQ(map_lm_eval_task("math_num_theory"), bt("math", "num_theory"));
  EXPECT_EQ(map_lm_eval_task("minerva_math_precalc"), bt("math", "precalc"));
  // Not a MATH subject: an unknown task keeps its own name.
  EXPECT_EQ(map_lm_eval_task("math_word_problems"), bt("math_word_problems", "math_word_problems"));
}

TEST(TaskNames, LmEvalGsm8kVariantsAreOneTask) {
  for (const char* name : {"gsm8k", "gsm8k_cot", "gsm8k_cot_self_consistency"}) {
    EXPECT_EQ(map_lm_eval_task(name), bt("gsm8k", "gsm8k")) << name;
  }
  EXPECT_EQ(map_lm_eval_task("gsm8k_platinum"), bt("gsm8k_platinum", "gsm8k_platinum"));  // a different dataset
}

TEST(TaskNames, LmEvalMmluAimeAndUnknown) {
  EXPECT_EQ(map_lm_eval_task("mmlu_abstract_algebra"), bt("mmlu", "abstract_algebra"));
  EXPECT_EQ(map_lm_eval_task("mmlu_flan_n_shot_generative_virology"), bt("mmlu", "virology"));
  EXPECT_EQ(map_lm_eval_task("mmlu_pro_law"), bt("mmlu_pro", "law"));
  EXPECT_EQ(map_lm_eval_task("aime24"), bt("aime", "aime24"));
  EXPECT_EQ(map_lm_eval_task("hellaswag"), bt("hellaswag", "hellaswag"));
  EXPECT_EQ(map_lm_eval_task("bbh_cot_fewshot_"), bt("bbh_cot_fewshot_", "bbh_cot_fewshot_"));
}

TEST(TaskNames, OpenCompassDatasets) {
  EXPECT_EQ(map_opencompass_dataset("bbh-date_understanding"), bt("bbh", "date_understanding"));
  EXPECT_EQ(map_opencompass_dataset("gsm8k"), bt("gsm8k", "gsm8k"));
  EXPECT_EQ(map_opencompass_dataset("math"), bt("math", "math"));
  EXPECT_EQ(map_opencompass_dataset("mmlu-abstract_algebra"), bt("mmlu", "abstract_algebra"));
  EXPECT_EQ(map_opencompass_dataset("lukaemon_mmlu_virology"), bt("mmlu", "virology"));
  EXPECT_EQ(map_opencompass_dataset("aime2024"), bt("aime", "aime24"));
  EXPECT_EQ(map_opencompass_dataset("hellaswag"), bt("hellaswag", "hellaswag"));
}

}  // namespace
}  // namespace caploop

namespace caploop {
namespace {

TEST(TaskNames, LeaderboardFamiliesJoinTheirBaseBenchmark) {
  EXPECT_EQ(map_lm_eval_task("leaderboard_bbh_navigate"), (BenchmarkTask{"bbh", "navigate"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_math_algebra_hard"), (BenchmarkTask{"math", "algebra"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_math_precalculus_hard"), (BenchmarkTask{"math", "precalc"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_math_algebra"),
            (BenchmarkTask{"leaderboard_math_algebra", "leaderboard_math_algebra"}));
  EXPECT_EQ(map_lm_eval_task("minerva_math500"), (BenchmarkTask{"math", "math500"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_gpqa_diamond"), (BenchmarkTask{"gpqa", "diamond"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_musr_team_allocation"), (BenchmarkTask{"musr", "team_allocation"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_mmlu_pro"), (BenchmarkTask{"mmlu_pro", "mmlu_pro"}));
  EXPECT_EQ(map_lm_eval_task("leaderboard_ifeval"), (BenchmarkTask{"ifeval", "ifeval"}));
  // the preferred variant of a task ranks first
  EXPECT_LT(lm_eval_variant_rank("gsm8k"), lm_eval_variant_rank("gsm8k_cot"));
  EXPECT_LT(lm_eval_variant_rank("bbh_cot_fewshot_navigate"), lm_eval_variant_rank("leaderboard_bbh_navigate"));
  EXPECT_LT(lm_eval_variant_rank("minerva_math_algebra"), lm_eval_variant_rank("hendrycks_math_algebra"));
}

}  // namespace
}  // namespace caploop
