#include "eval/math_equivalence.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(MathEquivalenceTest, NumbersInDifferentForms) {
  EXPECT_TRUE(math_answers_equivalent("\\frac{1}{2}", "0.5"));
  EXPECT_TRUE(math_answers_equivalent("\\frac{3}{4}", "3/4"));
  EXPECT_TRUE(math_answers_equivalent("-\\frac{2}{3}", "\\frac{-2}{3}"));
  EXPECT_TRUE(math_answers_equivalent("18", "18.000"));
  EXPECT_TRUE(math_answers_equivalent("1,000", "1000"));
  EXPECT_TRUE(math_answers_equivalent("{7}", "7"));
  EXPECT_TRUE(math_answers_equivalent("0.3333333", "\\frac{1}{3}"));  // within 1e-6 relative
  EXPECT_FALSE(math_answers_equivalent("0.33", "\\frac{1}{3}"));
  EXPECT_FALSE(math_answers_equivalent("-5", "5"));
  EXPECT_FALSE(math_answers_equivalent("\\frac{1}{0}", "1"));
  EXPECT_EQ(math_numeric_value("\\frac{\\frac{1}{2}}{2}"), 0.25);
  EXPECT_FALSE(math_numeric_value("\\sqrt{2}"));
}

TEST(MathEquivalenceTest, TuplesIntervalsAndSets) {
  EXPECT_TRUE(math_answers_equivalent("(1,\\frac{1}{2})", "(1,0.5)"));
  EXPECT_FALSE(math_answers_equivalent("(1,2)", "(2,1)"));
  EXPECT_FALSE(math_answers_equivalent("(1,2]", "(1,2)"));
  EXPECT_TRUE(math_answers_equivalent("\\{1,2\\}", "\\{2,1\\}"));
  EXPECT_TRUE(math_answers_equivalent("1,3", "3,1"));
  EXPECT_FALSE(math_answers_equivalent("1,3", "1,3,5"));
  EXPECT_FALSE(math_answers_equivalent("x+1", "1+x"));  // symbolic forms need equal strings
  EXPECT_TRUE(math_answers_equivalent("", ""));
}

}  // namespace
}  // namespace caploop
