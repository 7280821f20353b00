// Minerva's normalize_final_answer, with expectations worked out from the published Python.
#include "eval/math_minerva.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(MathMinervaTest, FindsTheFinalAnswerStatement) {
  MinervaScan s =
      minerva_final_answer("Work.\nFinal Answer: The final answer is $24$. I hope it is correct.\n\nProblem: next");
  ASSERT_TRUE(s.first);
  EXPECT_EQ(s.first->answer, "$24$");
  EXPECT_EQ(s.count, 1);
  // Cut off right after the answer: Python appends "I hope it is correct." first.
  MinervaScan cut = minerva_final_answer("Final Answer: The final answer is 7. ");
  ASSERT_TRUE(cut.first);
  EXPECT_EQ(cut.first->answer, "7");
  EXPECT_FALSE(minerva_final_answer("The answer is 7.").first);
  EXPECT_FALSE(minerva_final_answer("").first);
}

TEST(MathMinervaTest, NormalisesLikeThePaper) {
  EXPECT_EQ(minerva_normalize_final_answer("$24$"), "24");
  EXPECT_EQ(minerva_normalize_final_answer("$x = 5$"), "5");
  EXPECT_EQ(minerva_normalize_final_answer("$-\\frac{2}{3}$"), "-\\frac{2}{3}");
  EXPECT_EQ(minerva_normalize_final_answer("\\frac12"), "\\frac{1}{2}");
  EXPECT_EQ(minerva_normalize_final_answer("\\sqrt3"), "\\sqrt{3}");
  EXPECT_EQ(minerva_normalize_final_answer("100,000"), "100000");
  EXPECT_EQ(minerva_normalize_final_answer("1,2"), "12");  // the published rule does this too
  EXPECT_EQ(minerva_normalize_final_answer("10 dollars"), "10");
  EXPECT_EQ(minerva_normalize_final_answer("\\text{(B)}"), "(B)");
  EXPECT_EQ(minerva_normalize_final_answer("\\boxed{[2,5)}"), "[2,5)");
  EXPECT_EQ(minerva_normalize_final_answer("90^\\circ"), "90");
  EXPECT_EQ(minerva_normalize_final_answer("a cat"), "cat");
}

}  // namespace
}  // namespace caploop
