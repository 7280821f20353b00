// The keyword counter: whole words, case folding, prefixes, overlaps, several groups, weights.
#include "corpus/keyword_automaton.h"

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "corpus/text_metrics.h"

namespace caploop::corpus {
namespace {

TEST(KeywordAutomaton, CountsWholeWordsIgnoringCase) {
  KeywordAutomaton a;
  a.add("prime", 0);
  a.add("mod", 1);
  a.build();
  uint32_t c[2] = {0, 0};
  a.count("Prime numbers: 7 is PRIME, primes and primer are not; mod 5, modulo, (mod 3)", c);
  EXPECT_EQ(c[0], 2u);
  EXPECT_EQ(c[1], 2u);
}

TEST(KeywordAutomaton, PrefixKeywordsOverlapsAndSymbols) {
  KeywordAutomaton a;
  a.add("prime*", 0);
  a.add("\\frac", 1);
  a.add("in this paper", 2);
  a.add("paper", 2);
  a.add("her", 3);
  a.add("he", 3);
  a.build();
  uint32_t c[4] = {0, 0, 0, 0};
  a.count("primes, Primes; $\\frac{1}{2}$ and \\fraction. In this paper we... he her, hers", c);
  EXPECT_EQ(c[0], 2u);  // primes, Primes
  EXPECT_EQ(c[1], 1u);  // \frac but not \fraction
  EXPECT_EQ(c[2], 2u);  // the phrase and the word inside it
  EXPECT_EQ(c[3], 2u);  // "he" and "her", not inside "hers"
}

TEST(KeywordAutomaton, SameKeywordInTwoGroupsCountsInBoth) {
  KeywordAutomaton a;
  a.add("angle", 0);
  a.add("angle", 1);
  a.build();
  uint32_t c[2] = {0, 0};
  a.count("angle ABC is an angle", c);
  EXPECT_EQ(c[0], 2u);
  EXPECT_EQ(c[1], 2u);
  EXPECT_EQ(a.keyword_count(), 1u);
}

TEST(KeywordAutomaton, SameTextAsWordAndAsPrefixAreTwoKeywords) {
  // "subtract*" and "subtract" share their text; each keeps its own boundary rule and groups. (The Aho-Corasick
  // automaton this replaced kept only the later one, so "subtracting" was lost to the prefix keyword's group.)
  KeywordAutomaton a;
  a.add("subtract*", 0);
  a.add("subtract", 1, 2.5);
  a.add("\\frac", 2);
  a.add("frac", 3);
  a.build();
  uint32_t c[4] = {0, 0, 0, 0};
  double w[4] = {0, 0, 0, 0};
  KeywordScratch scratch;
  a.count("Subtracting 3, we subtract; \\frac{1}{2} \\dfrac frac", scratch, c, w);
  EXPECT_EQ(c[0], 2u);  // Subtracting, subtract
  EXPECT_EQ(c[1], 1u);  // subtract
  EXPECT_DOUBLE_EQ(w[1], 2.5);
  EXPECT_EQ(c[2], 1u);  // \frac, not \dfrac
  EXPECT_EQ(c[3], 2u);  // the word "frac", also after a backslash
}

// Whole-word keywords are hashed from the text 8 bytes at a time: words of every length around the 8-byte steps,
// at the very end of the text (fewer than 8 bytes left), in any case, with digits, after a backslash, and longer
// than the table takes (those go to Hyperscan) must count exactly as a plain word-by-word comparison does.
TEST(KeywordAutomaton, WholeWordsOfEveryLengthCountAsWordByWordComparison) {
  const std::vector<std::string> keywords = {"a",
                                             "be",
                                             "6x",
                                             "cdot7",
                                             "integral",
                                             "integrals",
                                             "antiderivative",
                                             "differentiation1",
                                             "seventeenletters",
                                             "\\frac",
                                             "\\dfrac",
                                             "\\displaystyle",
                                             std::string(64, 'w'),
                                             std::string(65, 'w'),
                                             "\\" + std::string(64, 'v')};
  KeywordAutomaton a;
  for (size_t k = 0; k < keywords.size(); ++k) a.add(keywords[k], static_cast<uint32_t>(k));
  a.build();
  const std::vector<std::string> pieces = {"a",
                                           "A",
                                           "be",
                                           "BE",
                                           "6x",
                                           "6X",
                                           "cdot7",
                                           "CDot7",
                                           "integral",
                                           "Integrals",
                                           "antiderivative",
                                           "ANTIderivative",
                                           "differentiation1",
                                           "seventeenletters",
                                           "seventeenletter",
                                           "frac",
                                           "dfrac",
                                           "displaystyle",
                                           "DisplayStyle",
                                           std::string(64, 'w'),
                                           std::string(65, 'W'),
                                           std::string(64, 'v'),
                                           " ",
                                           " ",
                                           "\\",
                                           "{",
                                           "x",
                                           "7",
                                           "\xC3\xA9",
                                           ".",
                                           "\n"};
  std::mt19937 rng(7);
  for (int t = 0; t < 2000; ++t) {
    std::string text;
    for (size_t n = rng() % 40; n > 0; --n) text += pieces[rng() % pieces.size()];
    // Reference: every maximal run of ASCII letters and digits, lower-cased, compared with each keyword.
    std::vector<uint32_t> expected(keywords.size(), 0);
    for (size_t i = 0; i < text.size();) {
      if (!std::isalnum(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
      size_t start = i;
      while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
      std::string word = text.substr(start, i - start);
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool backslash = start > 0 && text[start - 1] == '\\';
      for (size_t k = 0; k < keywords.size(); ++k)
        expected[k] += keywords[k] == word || (backslash && keywords[k] == "\\" + word);
    }
    std::vector<uint32_t> counts(keywords.size(), 0);
    a.count(text, counts.data());
    ASSERT_EQ(counts, expected) << text;
  }
}

TEST(TextMetrics, GopherStyleMeasures) {
  TextMetricsScratch s;
  // 3 lines, one repeated; 12 words.
  TextMetrics m = compute_text_metrics("The cat sat with the dog.\n- a list item #\nThe cat sat with the dog.", s);
  EXPECT_EQ(m[kWords], 17);
  EXPECT_EQ(m[kLines], 3);
  EXPECT_DOUBLE_EQ(m[kDuplicateLineFraction], 1.0 / 3);
  EXPECT_DOUBLE_EQ(m[kBulletLineFraction], 1.0 / 3);
  EXPECT_EQ(m[kStopwords], 6);  // the x4, with x2
  EXPECT_DOUBLE_EQ(m[kSymbolWordRatio], 1.0 / 17);
  EXPECT_DOUBLE_EQ(m[kTerminalPunctLineFraction], 2.0 / 3);
  EXPECT_EQ(m[kEndsWithTerminalPunct], 1.0);
  EXPECT_DOUBLE_EQ(m[kAlphaWordFraction], 15.0 / 17);  // "-" and "#" have no letter
  TextMetrics u = compute_text_metrics("caf\xC3\xA9 \xE2\x80\xA6", s);
  EXPECT_EQ(u[kCodePoints], 6);
  EXPECT_EQ(u[kChars], 9);
  EXPECT_EQ(u[kEllipsisLineFraction], 1.0);
}

}  // namespace
}  // namespace caploop::corpus
