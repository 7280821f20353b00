// Hendrycks' strip_string, step by step, with expectations worked out from the published Python.
#include "eval/math_strip_string.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

std::string strip(std::string_view s) {
  auto r = hendrycks_strip_string(s);
  return r ? *r : "<raises>";
}

TEST(MathStripStringTest, FracShorthandAndVariants) {
  EXPECT_EQ(strip("\\frac12"), "\\frac{1}{2}");
  EXPECT_EQ(strip("\\dfrac{3}{4}"), "\\frac{3}{4}");
  EXPECT_EQ(strip("\\tfrac1{72}"), "\\frac{1}{72}");
  EXPECT_EQ(strip("3/4"), "\\frac{3}{4}");
  EXPECT_EQ(strip("-3/4"), "\\frac{-3}{4}");
  EXPECT_EQ(strip("03/4"), "03/4");  // int("03") prints as "3": the assertion fails, string kept
  EXPECT_EQ(strip("x/4"), "x/4");
  EXPECT_EQ(strip("0.5"), "\\frac{1}{2}");
  EXPECT_EQ(strip("\\frac1"), "\\frac1");  // fewer than two characters: returned unchanged
  EXPECT_EQ(strip("1+\\frac"), "<raises>");
}

TEST(MathStripStringTest, RemovesDecorations) {
  EXPECT_EQ(strip("\\left( 1, 2 \\right)"), "(1,2)");
  EXPECT_EQ(strip("90^\\circ"), "90");
  EXPECT_EQ(strip("90^{\\circ}"), "90");
  EXPECT_EQ(strip("\\$5"), "5");
  EXPECT_EQ(strip("50\\%"), "50");
  EXPECT_EQ(strip("10\\!000"), "10000");
  EXPECT_EQ(strip("5\\text{ cm}"), "5");
  EXPECT_EQ(strip("5\\text{ cm}\\text{ m}"), "<raises>");  // two "\text{ ": the assertion fails
  EXPECT_EQ(strip("a\nb"), "ab");
  EXPECT_EQ(strip("\\\\frac{1}{2}"), "\\frac{1}{2}");
}

TEST(MathStripStringTest, LeadingDecimalsEqualsAndSqrt) {
  EXPECT_EQ(strip(".5"), "\\frac{1}{2}");  // ".5" -> "0.5" first, then the "0.5" special case
  EXPECT_EQ(strip("x = .25"), "0.25");
  EXPECT_EQ(strip("k=3"), "3");
  EXPECT_EQ(strip("abc=3"), "abc=3");  // left side longer than two characters
  EXPECT_EQ(strip("\\sqrt3"), "\\sqrt{3}");
  EXPECT_EQ(strip("2\\sqrt{2}"), "2\\sqrt{2}");
  EXPECT_EQ(strip("\\sqrt"), "<raises>");
  EXPECT_EQ(strip(""), "");
}

TEST(MathStripStringTest, IsEquivFallsBackToRawComparison) {
  EXPECT_TRUE(hendrycks_is_equiv("\\dfrac{1}{2}", "0.5"));
  EXPECT_TRUE(hendrycks_is_equiv("\\left(3,4\\right)", "(3, 4)"));
  EXPECT_FALSE(hendrycks_is_equiv("\\sqrt", "\\sqrt{}"));
  EXPECT_TRUE(hendrycks_is_equiv("\\sqrt", "\\sqrt"));
}

}  // namespace
}  // namespace caploop
