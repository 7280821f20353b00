// The rules that reproduce lm-evaluation-harness's own scoring, on texts shaped like the harness's inputs, with
// the outcomes the harness's code gives (lm_eval/tasks/gsm8k/gsm8k.yaml, hendrycks_math/utils.py,
// aime/utils.py, api/task.py multiple_choice).
#include <gtest/gtest.h>

#include <limits>

#include "core/loglikelihood_choices.h"
#include "eval/rule_registry.h"

namespace caploop {
namespace {

Score score(std::string_view rule, std::string_view text, std::string_view reference) {
  return rule_or_throw(rule).score(text, reference);
}

TEST(LmEvalRules, Gsm8kStrictReadsTheFirstHashesAndIgnoresCommasDollarsAndCase) {
  const std::string target = "Janet sells 16 - 3 - 4 = 9 duck eggs.\n#### 1234";
  EXPECT_TRUE(score("gsm8k-lm-eval-strict", "so $1,234.\n#### 1,234", target).correct);
  // strict takes the FIRST "#### N"
  EXPECT_FALSE(score("gsm8k-lm-eval-strict", "#### 12\n#### 1234", target).correct);
  Score none = score("gsm8k-lm-eval-strict", "The answer is 1234.", target);
  EXPECT_FALSE(none.extraction.found);
  EXPECT_FALSE(none.correct);
  // flexible takes the last number-like run of two or more characters, or a single digit
  EXPECT_TRUE(score("gsm8k-lm-eval-flexible", "The answer is 1234.", target).correct);
  EXPECT_EQ(score("gsm8k-lm-eval-flexible", "3 + 4 = 7", "#### 7").extraction.answer, "7");
  // "$18." keeps "$" and "." in the match; exact_match removes "$" and the final "."
  EXPECT_TRUE(score("gsm8k-lm-eval-flexible", "She makes $18.", "#### 18").correct);
  EXPECT_EQ(rule_or_throw("gsm8k-lm-eval-strict").harness_metric(), "exact_match,strict-match");
  // gsm8k_cot's strict-match reads "The answer is N." (the "." is any character, as in the harness's regex)
  EXPECT_TRUE(score("gsm8k-cot-lm-eval-strict", "So 9 * 2 = 18. The answer is 18.", "#### 18").correct);
  EXPECT_FALSE(score("gsm8k-cot-lm-eval-strict", "So the answer is 18", "#### 18").extraction.found);
}

TEST(LmEvalRules, HendrycksDollarTakesTheTextBetweenTheFirstAndLastDollar) {
  EXPECT_TRUE(score("math-dollar", " $\\frac12$", "\\frac{1}{2}").correct);
  EXPECT_TRUE(score("math-dollar", " $0.5$", "\\frac{1}{2}").correct);  // strip_string: 0.5 -> \frac{1}{2}
  // several $...$ spans: everything from the first to the last "$" is the answer, so this is wrong
  EXPECT_FALSE(score("math-dollar", "We get $x=2$, so the answer is $2$", "2").correct);
  // fewer than two "$": the whole response
  EXPECT_TRUE(score("math-dollar", "12", "12").correct);
}

TEST(LmEvalRules, AimeFallsBackToDollarsAndPrefersTheLastBox) {
  EXPECT_TRUE(score("math-aime", " the answer is $73$.", "73").correct);
  EXPECT_FALSE(score("math-aime", " the answer is $073$.", "73").correct);  // is_equiv compares strings
  EXPECT_TRUE(score("math-aime", "$x$ and then \\boxed{204}", "204").correct);
  EXPECT_FALSE(score("math-aime", "$x$ and then \\boxed{204}", "13").correct);
}

TEST(LmEvalRules, LoglikelihoodChoicesRoundTrip) {
  std::vector<LoglikelihoodChoice> choices = {{"(A)", -1.25}, {"two\nlines\tand \\ slash", -0.5}, {"", -3}};
  std::string text = encode_loglikelihood_choices(choices);
  EXPECT_EQ(decode_loglikelihood_choices(text), choices);
  EXPECT_FALSE(decode_loglikelihood_choices("-1.0 no tab\n").has_value());
  EXPECT_FALSE(decode_loglikelihood_choices("x\tA\n").has_value());
}

TEST(LmEvalRules, MultipleChoiceAccAndAccNormFromTheLogLikelihoods) {
  // "No" has the highest log-likelihood; per character "Yes" (-2.1/3 = -0.7) beats "No" (-1.6/2 = -0.8).
  std::vector<std::pair<std::string, std::string>> filtered = {
      {"loglikelihoods", encode_loglikelihood_choices({{"Yes", -2.1}, {"No", -1.6}})}, {"none", " No"}};
  ResponseEvidence r{" No", "Yes", &filtered, nullptr};
  Score acc = rule_or_throw("mc-loglikelihood").score_evidence(r);
  Score norm = rule_or_throw("mc-loglikelihood-norm").score_evidence(r);
  EXPECT_EQ(acc.extraction.answer, "No");
  EXPECT_FALSE(acc.correct);
  EXPECT_EQ(norm.extraction.answer, "Yes");
  EXPECT_TRUE(norm.correct);
  // an integer target is the choice's index (MMLU: target "1" is B)
  std::vector<std::pair<std::string, std::string>> mmlu = {
      {"loglikelihoods", encode_loglikelihood_choices({{"A", -2.5}, {"B", -0.7}, {"C", -1.9}, {"D", -3.1}})}};
  EXPECT_TRUE(rule_or_throw("mc-loglikelihood").score_evidence({" B", "1", &mmlu, nullptr}).correct);
  EXPECT_FALSE(rule_or_throw("mc-loglikelihood").score_evidence({" B", "2", &mmlu, nullptr}).correct);
}

TEST(LmEvalRules, HarnessMetricRuleJudgesByTheLoggedValue) {
  const ScoringRule* rule = find_rule("harness:exact_match,get-answer");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(find_rule("harness:exact_match,get-answer"), rule);  // made once
  EXPECT_EQ(find_rule("harness:"), nullptr);
  std::vector<std::pair<std::string, std::string>> filtered = {{"get-answer", "(B)"}};
  std::vector<std::pair<std::string, double>> one = {{"exact_match,get-answer", 1.0}};
  std::vector<std::pair<std::string, double>> zero = {{"exact_match,get-answer", 0.0}};
  std::vector<std::pair<std::string, double>> other = {{"acc,none", 1.0}};
  std::vector<std::pair<std::string, double>> nan = {
      {"exact_match,get-answer", std::numeric_limits<double>::quiet_NaN()}};
  Score s = rule->score_evidence({"... So the answer is (B).", "(B)", &filtered, &one});
  EXPECT_TRUE(s.correct);
  EXPECT_EQ(s.extraction.answer, "(B)");
  EXPECT_FALSE(rule->score_evidence({"x", "(B)", &filtered, &zero}).correct);
  EXPECT_FALSE(rule->score_evidence({"x", "(B)", &filtered, &other}).extraction.found);
  EXPECT_FALSE(rule->score_evidence({"x", "(B)", &filtered, &nan}).extraction.found);
}

TEST(LmEvalRules, DefaultRulePerTaskFollowsTheHarnessTask) {
  EXPECT_EQ(default_rule_name_for_task("gsm8k", "gsm8k"), "gsm8k-lm-eval-flexible");
  EXPECT_EQ(default_rule_name_for_task("bbh", "bbh_cot_fewshot_navigate"), "bbh-lm-eval-strict");
  EXPECT_EQ(default_rule_name_for_task("bbh", "leaderboard_bbh_navigate"), "mc-loglikelihood-norm");
  EXPECT_EQ(default_rule_name_for_task("mmlu", "mmlu_abstract_algebra"), "mc-loglikelihood");
  EXPECT_EQ(default_rule_name_for_task("math", "minerva_math_algebra"), "math-minerva");
  EXPECT_EQ(default_rule_name_for_task("math", "minerva_math500"), "math-minerva");
  EXPECT_EQ(default_rule_name_for_task("math", "leaderboard_math_algebra_hard"), "math-minerva");
  EXPECT_EQ(default_rule_name_for_task("math", "hendrycks_math_algebra"), "math-dollar");
  EXPECT_EQ(default_rule_name_for_task("aime", "aime24"), "math-aime");
  EXPECT_EQ(default_rule_name_for_task("ifeval", "leaderboard_ifeval"), "");  // the harness's metric
  // without a harness task: by benchmark; an unknown benchmark has none
  EXPECT_EQ(default_rule_name_for_task("bbh", ""), "bbh");
  EXPECT_EQ(default_rule_name_for_task("hellaswag", ""), "");
}

}  // namespace
}  // namespace caploop
