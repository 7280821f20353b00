#include "eval/answer_number.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(AnswerNumberTest, ParsesPlainNumbersWithDollarsCommasAndPeriods) {
  EXPECT_EQ(parse_plain_number("18"), 18.0);
  EXPECT_EQ(parse_plain_number(" 18.00 "), 18.0);
  EXPECT_EQ(parse_plain_number("18."), 18.0);
  EXPECT_EQ(parse_plain_number("$1,234.50"), 1234.5);
  EXPECT_EQ(parse_plain_number("-3"), -3.0);
  EXPECT_EQ(parse_plain_number("-$3"), -3.0);
  EXPECT_EQ(parse_plain_number("10,0000"), 100000.0);  // misplaced commas still mean digits
  EXPECT_FALSE(parse_plain_number("18 apples"));
  EXPECT_FALSE(parse_plain_number("1/2"));
  EXPECT_FALSE(parse_plain_number(""));
  EXPECT_FALSE(parse_plain_number("."));
  EXPECT_FALSE(parse_plain_number("1.2.3"));
}

TEST(AnswerNumberTest, FindsTheLastNumberToken) {
  auto n = find_last_number("She pays $1,200 then -5 more, total 1,195.");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->value, 1195.0);
  auto neg = find_last_number("the change is -$7");
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg->value, -7.0);
  EXPECT_FALSE(find_last_number("no digits here"));
  EXPECT_FALSE(find_last_number(""));
  auto t = find_last_number("x = 3.25.");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->value, 3.25);
  EXPECT_EQ(t->end, 8u);  // the sentence's final "." is not part of the number
}

TEST(AnswerNumberTest, FormatsAndComparesNumbers) {
  EXPECT_EQ(format_number(18.0), "18");
  EXPECT_EQ(format_number(-0.125), "-0.125");
  EXPECT_TRUE(numbers_close(18.0, 18.0000000001));
  EXPECT_FALSE(numbers_close(18.0, 18.01));
  EXPECT_TRUE(numbers_close(0.0, -0.0));
}

}  // namespace
}  // namespace caploop
