// The answer-shape signature and the normalisation-tolerant tier (eval/answer_shape.h, eval/rules_tolerant.h),
// on hand-made cases and on the real BBH code-davinci-002 CoT outputs and prompts.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "eval/answer_shape.h"
#include "eval/rule_registry.h"
#include "eval/rules_tolerant.h"
#include "test_support.h"

namespace caploop {
namespace {

TEST(AnswerShape, SignaturesIgnoreContentButNotForm) {
  EXPECT_EQ(answer_shape("(A)"), "bLb");
  EXPECT_EQ(answer_shape("B"), "L");
  EXPECT_EQ(answer_shape("-12"), "9");
  EXPECT_EQ(answer_shape(": 24"), ":9");
  EXPECT_EQ(answer_shape("True"), "C");
  EXPECT_EQ(answer_shape("valid"), "w");
  EXPECT_EQ(answer_shape("] ) >"), "b");
  EXPECT_EQ(answer_shape("apple banana cherry"), "w");
  EXPECT_TRUE(has_reference_shape("(C)", "(A)"));
  EXPECT_TRUE(has_reference_shape("-3", "17"));
  EXPECT_TRUE(has_reference_shape("False", "True"));
  EXPECT_FALSE(has_reference_shape("A", "(A)"));
  EXPECT_FALSE(has_reference_shape(": True", "True"));
  EXPECT_FALSE(has_reference_shape("true", "True"));
}

TEST(TolerantTier, FormsMatchAfterNormalisation) {
  EXPECT_EQ(tolerant_form(" (B). "), "b");
  EXPECT_EQ(tolerant_form(": True."), "true");
  const ScoringRule& bbh = rule_or_throw("bbh");
  auto tolerant = [&](std::string_view response, std::string_view reference,
                      const std::vector<AnswerOption>& options = {}) {
    return tolerant_correct(response, reference, bbh.extract(response), options);
  };
  EXPECT_TRUE(tolerant("Thinking. So the answer is B.", "(B)"));
  EXPECT_TRUE(tolerant("Thinking. So the answer is: 24.", "24"));
  EXPECT_TRUE(tolerant("Thinking. So the answer is: true.", "True"));
  EXPECT_FALSE(tolerant("Thinking. So the answer is C.", "(B)"));
  EXPECT_FALSE(tolerant("Thinking. So the answer is: 25.", "24"));
  EXPECT_FALSE(tolerant("No statement at all", "(B)"));
  const std::vector<AnswerOption> options =
      answer_options_of("Q: Which is sarcastic?\nOptions:\n(A) It is nice\n(B) Great, more rain\nA: Let's think");
  ASSERT_EQ(options.size(), 2u);
  EXPECT_EQ(options[1].label, 'B');
  EXPECT_EQ(options[1].text, "Great, more rain");
  EXPECT_TRUE(tolerant("So the answer is great more rain.", "(B)", options));
  EXPECT_FALSE(tolerant("So the answer is it is nice.", "(B)", options));
  EXPECT_TRUE(tolerant("So the answer is B.", "Great, more rain", options));
  EXPECT_EQ(rule_or_throw("tolerant").score("So the answer is: (B)", "B").correct, true);
}

// On the real outputs, the tolerant tier accepts every answer the reference rule accepts (it only adds), and
// the reference shape holds for nearly all extracted answers of the tasks with a fixed label set.
TEST(TolerantTier, RealBbhOutputsKeepEveryReferenceMatch) {
  REQUIRE_SHARED_DATA();
  const auto dir = testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot";
  const ScoringRule& bbh = rule_or_throw("bbh");
  simdjson::ondemand::parser parser;
  size_t items = 0, reference_right = 0, tolerant_right = 0, with_options = 0, shaped = 0, answered = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.path().filename().string().ends_with("_few_shot_template_0-255000.json")) continue;
    simdjson::padded_string json = simdjson::padded_string::load(e.path().string());
    simdjson::ondemand::document doc = parser.iterate(json);
    for (simdjson::ondemand::object o : doc["outputs"].get_array()) {
      const std::string prompt{std::string_view(o["input"])};
      const std::string prediction{std::string_view(o["prediction"])};
      const std::string target{std::string_view(o["target"])};
      const Score s = bbh.score(prediction, target);
      const auto options = answer_options_of(prompt);
      const bool tolerant = tolerant_correct(prediction, target, s.extraction, options);
      ++items;
      reference_right += s.correct;
      tolerant_right += tolerant;
      with_options += !options.empty();
      if (s.correct) {
        EXPECT_TRUE(tolerant) << prediction;
      }
      if (s.extraction.found) {
        ++answered;
        shaped += has_reference_shape(s.extraction.answer, target);
      }
    }
  }
  std::cout << "[ figures  ] BBH CoT: reference " << reference_right << ", tolerant " << tolerant_right << " of "
            << items << "; " << with_options << " prompts list options; " << shaped << "/" << answered
            << " answers in the reference's shape\n";
  EXPECT_EQ(items, 6511u);
  EXPECT_GE(tolerant_right, reference_right);
  EXPECT_LE(tolerant_right, reference_right + items / 50);  // tolerant, not lax
  EXPECT_GT(with_options, 3000u);
  EXPECT_GT(static_cast<double>(shaped) / static_cast<double>(answered), 0.9);
}

}  // namespace
}  // namespace caploop
