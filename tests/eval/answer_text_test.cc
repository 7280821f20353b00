#include "eval/answer_text.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(AnswerTextTest, TrimAndOneTrailingPeriod) {
  EXPECT_EQ(trim("  (B). \n"), "(B).");
  EXPECT_EQ(strip_one_trailing_period("(B)."), "(B)");
  EXPECT_EQ(strip_one_trailing_period("1.."), "1.");
  EXPECT_EQ(strip_one_trailing_period(""), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\n"), "");
}

TEST(AnswerTextTest, CaseInsensitiveSearchAndCounts) {
  EXPECT_EQ(find_ignore_case("So THE Answer is 5", "the answer is"), 3u);
  EXPECT_EQ(rfind_ignore_case("answer is 1; Answer is 2", "answer is"), 13u);
  EXPECT_EQ(find_ignore_case("abc", "abcd"), kNotFound);
  EXPECT_EQ(count_occurrences("aaaa", "aa"), 2u);  // non-overlapping, like Python's str.count
  EXPECT_EQ(count_occurrences_ignore_case("Yes yes YES", "yes"), 3u);
}

TEST(AnswerTextTest, WholeWordsAndReplace) {
  std::string_view t = "invalid valid";
  EXPECT_FALSE(is_whole_word(t, 2, 7));  // "valid" inside "invalid"
  EXPECT_TRUE(is_whole_word(t, 8, 13));
  EXPECT_EQ(replace_all_literal("a.b.c", ".", "::"), "a::b::c");
  EXPECT_EQ(replace_all_literal("aaa", "aa", "b"), "ba");
}

TEST(AnswerTextTest, LooseFoldLowercasesStripsEndPunctuationAndCollapsesSpaces) {
  EXPECT_EQ(fold_for_loose_compare("  \"Hello,   World!\" "), "hello, world");
  EXPECT_EQ(fold_for_loose_compare("..."), "");
  EXPECT_EQ(fold_for_loose_compare("caf\xC3\xA9."), "caf\xC3\xA9");  // UTF-8 bytes kept
}

}  // namespace
}  // namespace caploop
