// Edge cases of the GSM8K rules.
#include <gtest/gtest.h>

#include <string>

#include "eval/rule_registry.h"
#include "eval/rules_gsm8k.h"

namespace caploop {
namespace {

TEST(Gsm8kRuleCasesTest, ReadsTheThreeStatementKinds) {
  const ScoringRule& r = rule_or_throw("gsm8k");
  EXPECT_EQ(r.extract("so 2+2=4\n#### 4").answer, "4");
  EXPECT_EQ(r.extract("The answer is $1,234.").answer, "1234");
  EXPECT_EQ(r.extract("Work: 9*2=18\nA: 18").answer, "18");
  EXPECT_EQ(r.extract("#### -7").answer, "-7");
  EXPECT_EQ(r.extract("The answer is 2.50").answer, "2.5");
  EXPECT_FALSE(r.extract("I think it is 18").found);  // no statement, no fallback
  EXPECT_FALSE(r.extract("").found);
  EXPECT_FALSE(r.extract("Q: what\nA: I do not know").found);
}

TEST(Gsm8kRuleCasesTest, ReadsInspectsAnswerLine) {
  // Inspect AI's gsm8k task asks for a last line "ANSWER: $ANSWER".
  const ScoringRule& r = rule_or_throw("gsm8k");
  Extraction x = r.extract("She sells 9 eggs for $2 each.\nANSWER: 18");
  EXPECT_EQ(x.answer, "18");
  EXPECT_EQ(x.n_statements, 1);
  EXPECT_EQ(r.extract("  ANSWER: $1,234").answer, "1234");
  EXPECT_FALSE(r.extract("MY ANSWER: 18").found);  // only at the start of a line
  EXPECT_FALSE(r.extract("ANSWER: eighteen").found);
  EXPECT_EQ(r.extract("ANSWER: 5\nQ: next\nANSWER: 7").answer, "5");  // the first statement, as for "A:"
  // EvalScope's gsm8k prompt asks for the answer boxed on that line.
  EXPECT_EQ(r.extract("Total: 3 bolts.\n\nANSWER: $\\boxed{3}$").answer, "3");
  EXPECT_EQ(r.extract("ANSWER: \\boxed{1,250}").answer, "1250");
  EXPECT_FALSE(r.extract("ANSWER: \\boxed{x+1}").found);
  // A boxed number anywhere is a statement (EvalScope's models write "Final Answer: $\boxed{45}$"), counted once
  // when it is an ANSWER line's.
  Extraction boxed = r.extract("180 - 135 = 45 miles\n\nFinal Answer: $\\boxed{45}$");
  EXPECT_EQ(boxed.answer, "45");
  EXPECT_EQ(boxed.n_statements, 1);
  EXPECT_EQ(r.extract("x\nANSWER: $\\boxed{3}$").n_statements, 1);
  EXPECT_EQ(r.extract("**Answer:** $\\boxed{160}$").answer, "160");
}

TEST(Gsm8kRuleCasesTest, FirstStatementWinsAndAllAreCounted) {
  const ScoringRule& r = rule_or_throw("gsm8k");
  std::string text = "3 pens.\nA: 3\n\nQ: another question\nA: 12";
  Extraction x = r.extract(text);
  EXPECT_EQ(x.answer, "3");
  EXPECT_EQ(x.n_statements, 2);
  EXPECT_EQ(text.substr(x.statement_begin, x.statement_end - x.statement_begin), "A: 3");
}

TEST(Gsm8kRuleCasesTest, ComparesNumericallyAgainstFullReferences) {
  const ScoringRule& r = rule_or_throw("gsm8k");
  EXPECT_TRUE(r.score("#### 18", "Janet ... <<9*2=18>>18\n#### 18").correct);
  EXPECT_TRUE(r.score("A: 18.00", "18").correct);
  EXPECT_TRUE(r.score("The answer is $18.", "...\nA: 18").correct);
  EXPECT_FALSE(r.score("#### 17", "#### 18").correct);
  EXPECT_FALSE(r.score("#### 18", "eighteen").correct);
  EXPECT_EQ(gsm8k_reference_value("a\n#### 1,000"), 1000.0);
}

TEST(Gsm8kRuleCasesTest, LenientTakesTheLastNumber) {
  const ScoringRule& r = rule_or_throw("gsm8k-lenient");
  EXPECT_EQ(r.extract("3 apples and 4 pears make 7.").answer, "7");
  EXPECT_EQ(r.extract("owes -$12").answer, "-12");
  EXPECT_TRUE(r.score("total: 1,200 dollars", "#### 1200").correct);
  EXPECT_FALSE(r.extract("none").found);
  EXPECT_NO_THROW(r.extract("\xFF\xFE 12 \xC3"));
}

}  // namespace
}  // namespace caploop
