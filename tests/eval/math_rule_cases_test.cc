// Edge cases of the math, math-first and math-minerva rules.
#include <gtest/gtest.h>

#include <string>

#include "eval/rule_registry.h"
#include "eval/rules_math.h"

namespace caploop {
namespace {

TEST(MathRuleCasesTest, LastBoxWithNormalisation) {
  const ScoringRule& r = rule_or_throw("math");
  Extraction x = r.extract("First \\boxed{3}, no wait: \\boxed{\\dfrac{1}{2}}.");
  EXPECT_EQ(x.answer, "\\frac{1}{2}");
  EXPECT_EQ(x.n_statements, 2);
  EXPECT_TRUE(r.score("so $\\boxed{0.5}$", "\\frac12").correct);
  EXPECT_TRUE(r.score("$\\boxed 5$", "5").correct);
  EXPECT_TRUE(r.score("\\boxed{1,000}", "1000").correct);
  EXPECT_TRUE(r.score("\\boxed{-7}", "-7").correct);
  EXPECT_FALSE(r.score("\\boxed{-7}", "7").correct);
  EXPECT_TRUE(r.score("\\boxed{90^\\circ}", "90").correct);
  EXPECT_TRUE(r.score("\\boxed{\\left(2, \\frac{\\pi}{3}\\right)}", "(2,\\frac{\\pi}{3})").correct);
  EXPECT_FALSE(r.extract("no box here: 5").found);
  EXPECT_FALSE(r.extract("").found);
}

TEST(MathRuleCasesTest, ReferenceMayBeAFullSolution) {
  const ScoringRule& r = rule_or_throw("math");
  std::string solution = "We get $$10\\cdot6\\cdot7=\\boxed{420}.$$ which rounds to $420$.";
  EXPECT_EQ(math_reference_answer(solution), "420");
  EXPECT_TRUE(r.score("The answer is \\boxed{420}.", solution).correct);
}

TEST(MathRuleCasesTest, FirstBoxVariant) {
  const ScoringRule& r = rule_or_throw("math-first");
  EXPECT_TRUE(r.score("\\boxed{3}\n\nProblem: next\n\\boxed{9}", "3").correct);
  EXPECT_FALSE(rule_or_throw("math").score("\\boxed{3}\n\nProblem: next\n\\boxed{9}", "3").correct);
}

TEST(MathRuleCasesTest, MinervaStatementAndBoxFallback) {
  const ScoringRule& r = rule_or_throw("math-minerva");
  EXPECT_TRUE(
      r.score("Final Answer: The final answer is $-\\frac{2}{3}$. I hope it is correct.", "so $\\boxed{-\\frac{2}{3}}$")
          .correct);
  EXPECT_TRUE(r.score("Final Answer: The final answer is $10$ dollars. I hope it is correct.", "10").correct);
  EXPECT_TRUE(r.score("thus \\boxed{16}", "16").correct);
  EXPECT_FALSE(r.extract("no answer").found);
}

TEST(MathRuleCasesTest, InvalidUtf8DoesNotCrash) {
  for (const char* name : {"math", "math-first", "math-minerva"}) {
    std::string bad = "\xFF\\boxed{\xC3\x28}\xFE Final Answer: The final answer is \xA0. I hope";
    EXPECT_NO_THROW(rule_or_throw(name).score(bad, "\xC3")) << name;
  }
}

}  // namespace
}  // namespace caploop
