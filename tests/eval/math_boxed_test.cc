#include "eval/math_boxed.h"

#include <gtest/gtest.h>

#include <string>

namespace caploop {
namespace {

TEST(MathBoxedTest, MatchesNestedBraces) {
  std::string t = "so \\boxed{\\frac{1}{2}} and then \\boxed{\\{1,2\\}}.";
  BoxScan s = scan_boxes(t);
  EXPECT_EQ(s.count, 2);
  ASSERT_TRUE(s.first && s.last);
  EXPECT_EQ(s.first->content, "\\frac{1}{2}");
  EXPECT_EQ(s.last->content, "\\{1,2\\}");
  EXPECT_EQ(t.substr(s.first->begin, s.first->end - s.first->begin), "\\boxed{\\frac{1}{2}}");
}

TEST(MathBoxedTest, BracelessFboxAndUnclosed) {
  EXPECT_EQ(scan_boxes("is $\\boxed 5$.").last->content, "5");
  EXPECT_EQ(scan_boxes("\\fbox{7}").last->content, "7");
  BoxScan unclosed = scan_boxes("\\boxed{3} then \\boxed{4");
  EXPECT_EQ(unclosed.count, 1);
  EXPECT_EQ(unclosed.last->content, "3");
  EXPECT_EQ(scan_boxes("").count, 0);
  EXPECT_EQ(scan_boxes("\\boxed").count, 0);
  EXPECT_EQ(scan_boxes("\\boxed{}").last->content, "");
}

TEST(MathBoxedTest, NestedBoxCountsOnceAndInnerIsLast) {
  BoxScan s = scan_boxes("\\boxed{\\boxed{5}}");
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.last->content, "5");  // like Hendrycks' rfind("\\boxed")
}

TEST(MathBoxedTest, InvalidUtf8IsJustBytes) {
  std::string t = "\xFF\\boxed{\xC3}\xFE";
  BoxScan s = scan_boxes(t);
  ASSERT_TRUE(s.last);
  EXPECT_EQ(s.last->content, "\xC3");
}

}  // namespace
}  // namespace caploop
