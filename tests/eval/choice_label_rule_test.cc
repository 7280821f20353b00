// Edge cases of the multiple-choice letter and binary label rules.
#include <gtest/gtest.h>

#include <string>

#include "eval/rule_registry.h"

namespace caploop {
namespace {

TEST(ChoiceRuleTest, StrictNeedsAnAnswerStatement) {
  const ScoringRule& r = rule_or_throw("mc-letter");
  EXPECT_EQ(r.extract("Thus the answer is (C).").answer, "C");
  EXPECT_EQ(r.extract("The answer is: B").answer, "B");
  EXPECT_EQ(r.extract("The answer is **(D)**").answer, "D");
  EXPECT_FALSE(r.extract("I like (B)").found);
  EXPECT_FALSE(r.extract("The answer is Because").found);  // "B" must stand alone
  Extraction two = r.extract("The answer is A.\nQ: next\nThe answer is (B)");
  EXPECT_EQ(two.answer, "B");
  EXPECT_EQ(two.n_statements, 2);
}

TEST(ChoiceRuleTest, ComparesLettersWithOrWithoutParentheses) {
  const ScoringRule& r = rule_or_throw("mc-letter");
  EXPECT_TRUE(r.score("The answer is (B)", "B").correct);
  EXPECT_TRUE(r.score("The answer is B", "(B)").correct);
  EXPECT_TRUE(r.score("The answer is B", "b").correct);
  EXPECT_FALSE(r.score("The answer is B", "(C)").correct);
  EXPECT_FALSE(r.score("The answer is B", "BC").correct);
}

TEST(ChoiceRuleTest, LenientFallsBackToLastLetter) {
  const ScoringRule& r = rule_or_throw("mc-letter-lenient");
  EXPECT_EQ(r.extract("Between (A) and (C), (C) fits").answer, "C");
  EXPECT_EQ(r.extract("I would choose D").answer, "D");
  EXPECT_EQ(r.extract("The answer is (A). But (B) is close").answer, "A");  // statement wins
  EXPECT_FALSE(r.extract("none at all").found);
  EXPECT_FALSE(r.extract("").found);
  EXPECT_NO_THROW(r.extract("\xFF(\xFE)\xC3"));
}

TEST(LabelRuleTest, LastLabelOrTheOneInTheStatement) {
  const ScoringRule& yn = rule_or_throw("yes-no");
  EXPECT_EQ(yn.extract("No wait, yes").answer, "yes");
  EXPECT_EQ(yn.extract("So the answer is No. Yes, I am sure.").answer, "no");
  EXPECT_TRUE(yn.score("So the answer is Yes.", "Yes").correct);
  EXPECT_TRUE(yn.score("YES", "yes.").correct);
  EXPECT_FALSE(yn.extract("Nobody knows; yesterday").found);  // whole words only
  const ScoringRule& tf = rule_or_throw("true-false");
  EXPECT_TRUE(tf.score("not False = True", "True").correct);
  EXPECT_FALSE(tf.score("not False = True", "False").correct);
}

TEST(LabelRuleTest, LabelRuleKnowsValidAndInvalid) {
  const ScoringRule& r = rule_or_throw("label");
  EXPECT_EQ(r.extract("The argument is invalid").answer, "invalid");
  EXPECT_EQ(r.extract("It is valid").answer, "valid");
  EXPECT_TRUE(r.score("So the answer is invalid.", "invalid").correct);
  EXPECT_FALSE(r.score("So the answer is invalid.", "valid").correct);
  EXPECT_FALSE(r.extract("").found);
  EXPECT_NO_THROW(r.extract("\xFFyes\xFE"));
}

TEST(ExactRuleTest, ExactAndCaseInsensitiveVariants) {
  const ScoringRule& e = rule_or_throw("exact");
  EXPECT_TRUE(e.score("  Paris \n", "Paris").correct);
  EXPECT_FALSE(e.score("paris", "Paris").correct);
  EXPECT_FALSE(e.extract("   ").found);
  const ScoringRule& ci = rule_or_throw("exact-ci");
  EXPECT_TRUE(ci.score("  \"New   York.\" ", "new york").correct);
  EXPECT_FALSE(ci.score("New Jersey", "new york").correct);
}

}  // namespace
}  // namespace caploop
