// Edge cases of the four BBH rules.
#include <gtest/gtest.h>

#include <string>

#include "eval/rule_registry.h"

namespace caploop {
namespace {

const ScoringRule& rule(std::string_view name) { return rule_or_throw(name); }

TEST(BbhRuleCasesTest, ReferenceRuleTakesTextAfterLastStatement) {
  const ScoringRule& r = rule("bbh");
  Extraction x = r.extract("Step one. So the answer is (A).\n\nQ: more\nA: So the answer is (C).");
  EXPECT_TRUE(x.found);
  EXPECT_EQ(x.answer, "(C)");
  EXPECT_EQ(x.n_statements, 2);
  EXPECT_TRUE(r.score("Thinking. So the answer is (B).", " (B) ").correct);
  EXPECT_FALSE(r.score("Thinking. So the answer is (b).", "(B)").correct);  // case-sensitive
}

TEST(BbhRuleCasesTest, OnlyOneTrailingPeriodIsStripped) {
  const ScoringRule& r = rule("bbh");
  EXPECT_EQ(r.extract("So the answer is 1...").answer, "1..");
  EXPECT_EQ(r.extract("So the answer is True.  \n").answer, "True");
}

TEST(BbhRuleCasesTest, DirectPredictionIsTheWholeText) {
  const ScoringRule& r = rule("bbh");
  Extraction x = r.extract("  valid. ");
  EXPECT_EQ(x.answer, "valid");
  EXPECT_EQ(x.n_statements, 0);
  EXPECT_EQ(x.statement_begin, 2u);
  EXPECT_EQ(x.statement_end, 8u);
  EXPECT_TRUE(r.score("  valid. ", "valid").correct);
}

TEST(BbhRuleCasesTest, StatementSpanCoversTheStatement) {
  std::string text = "Reasoning. So the answer is (B).";
  Extraction x = rule("bbh").extract(text);
  EXPECT_EQ(text.substr(x.statement_begin, x.statement_end - x.statement_begin), "So the answer is (B).");
}

TEST(BbhRuleCasesTest, EmptyAndGarbageDoNotCrash) {
  for (const char* name : {"bbh", "bbh-first", "bbh-lm-eval-strict", "bbh-lm-eval-flexible"}) {
    EXPECT_FALSE(rule(name).extract("").found) << name;
    EXPECT_FALSE(rule(name).score("", "(A)").correct) << name;
    std::string bad = "So the answer is \xFF\xFE(\xC3";
    EXPECT_NO_THROW(rule(name).score(bad, "(A)")) << name;
  }
}

TEST(BbhRuleCasesTest, FirstRuleStopsAtLineEndWhenTheModelRanOn) {
  const ScoringRule& r = rule("bbh-first");
  std::string text = "So the answer is (A).\n\nQ: Another question\nA: So the answer is (C).";
  Extraction x = r.extract(text);
  EXPECT_EQ(x.answer, "(A)");
  EXPECT_EQ(x.n_statements, 2);
  EXPECT_EQ(text.substr(x.statement_begin, x.statement_end - x.statement_begin), "So the answer is (A).");
  EXPECT_TRUE(r.score(text, "(A)").correct);
  EXPECT_FALSE(rule("bbh").score(text, "(A)").correct);
}

TEST(BbhRuleCasesTest, LmEvalStrictKeepsTheLineMinusItsLastCharacter) {
  const ScoringRule& r = rule("bbh-lm-eval-strict");
  EXPECT_EQ(r.extract("So the answer is (B).").answer, "(B)");
  EXPECT_EQ(r.extract("So the answer is (B)").answer, "(B");  // no period: the last char is still cut
  EXPECT_EQ(r.extract("So the answer is (A).\nSo the answer is (C).").answer, "(A)");  // take_first
  EXPECT_FALSE(r.extract("So The Answer Is (B).").found);                              // case-sensitive
  EXPECT_FALSE(r.score("So the answer is (B). ", "(B)").correct);                      // "(B)." != "(B)": no stripping
}

TEST(BbhRuleCasesTest, LmEvalFlexibleChoosesPatternFromTarget) {
  const ScoringRule& r = rule("bbh-lm-eval-flexible");
  EXPECT_TRUE(r.score("Options (A) and (C) remain; I pick (C)", "(C)").correct);
  EXPECT_TRUE(r.score("not True is False", "False").correct);
  EXPECT_TRUE(r.score("So, Yes.", "Yes").correct);
  EXPECT_TRUE(r.score("the argument is invalid", "invalid").correct);
  EXPECT_TRUE(r.score("3 + 4 = 7 apples", "7").correct);
  EXPECT_TRUE(r.score("So the answer is ] ).", "] )").correct);  // dyck: strict fallback
  EXPECT_EQ(r.extract("first (A), then (D)").answer, "(D)");     // no reference: multiple-choice pattern
}

}  // namespace
}  // namespace caploop
