// The PCRE2 wrapper the scoring rules use (look-behind, find-all, replace, invalid UTF-8 safety).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "eval/regex.h"

namespace caploop {
namespace {

TEST(RuleRegexTest, LookBehindAndFirstMatch) {
  Regex re("(?<=the answer is )(.*)(?=.)");
  std::string text = "So the answer is (B).\nQ: next\nSo the answer is (C).";
  auto m = re.search(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->group(text, 1), "(B)");  // "." does not cross the line break
  EXPECT_EQ(re.count(text), 2u);
}

TEST(RuleRegexTest, FindAllLastAndGroups) {
  Regex re("\\b(True|False)\\b");
  std::string text = "True and False gives False";
  auto all = re.find_all(text);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(re.find_last(text)->group(text, 1), "False");
  Regex two("(a)|(b)");
  auto m = two.search("b");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->groups[1].matched());
  EXPECT_EQ(m->first_participating_group().begin, 0u);
}

TEST(RuleRegexTest, ReplaceAllWithGroupReferencesAndLiteralDollar) {
  Regex re("(frac)([^{])(.)");
  EXPECT_EQ(re.replace_all("\\frac12+\\frac34", "frac{$2}{$3}"), "\\frac{1}{2}+\\frac{3}{4}");
  Regex math("(.*?)(\\$)(.*?)(\\$)(.*)");
  EXPECT_EQ(math.replace_all("is $5$ ok", "$$$3$$"), "$5$");
}

TEST(RuleRegexTest, InvalidUtf8NeverCrashes) {
  Regex re("(?<=answer is )(.*)");
  std::string text = "answer is \xFF\xFE bad \xC3";
  auto m = re.search(text);
  EXPECT_TRUE(m);
  EXPECT_NO_THROW(re.find_all(std::string("\xC3\x28\xA0\xA1", 4)));
  Regex empty("x*");
  EXPECT_EQ(empty.find_all(std::string("\xE2\x82\xAC\xFF", 4)).size(), 3u);  // at 0, 3 and the end
}

TEST(RuleRegexTest, CaseInsensitiveOption) {
  Regex re("answer is", Regex::Options{.case_insensitive = true});
  EXPECT_TRUE(re.search("The ANSWER IS 4"));
}

TEST(RuleRegexTest, BadPatternThrowsUsageError) {
  try {
    Regex re("(unclosed");
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    EXPECT_NE(e.message().find("(unclosed"), std::string::npos);
  }
}

TEST(RuleRegexTest, SharedAcrossThreads) {
  Regex re("#### (\\-?[0-9\\.\\,]+)");
  std::vector<std::thread> threads;
  std::vector<int> hits(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) hits[t] += re.search("so #### 1,234") ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (int h : hits) EXPECT_EQ(h, 2000);
}

}  // namespace
}  // namespace caploop
