// The literal look-behind fast path of Regex: a pattern opening with `(?<=TEXT)` searches for TEXT and matches
// the rest anchored after it. Every result must equal PCRE2's own search (Options::plain) on real model outputs
// and on random text built from the pieces that make the fast path hard (overlapping prefixes, line breaks,
// empty answers, invalid UTF-8, multi-byte characters).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>
#include <vector>

#include "eval/regex.h"
#include "test_support.h"

namespace caploop {
namespace {

std::string describe(const std::vector<Regex::Match>& all, std::string_view text) {
  std::string out;
  for (const auto& m : all) {
    out += "[" + std::to_string(m.begin()) + "," + std::to_string(m.end()) + ")";
    for (int g = 1; g < m.n_groups; ++g) out += " g" + std::to_string(g) + "=" + std::string(m.group(text, g));
    out += ";";
  }
  return out;
}

// Every way a caller can ask: find_all, search from each start offset, find_last and count.
void expect_same(const Regex& fast, const Regex& plain, std::string_view text) {
  ASSERT_EQ(describe(fast.find_all(text), text), describe(plain.find_all(text), text)) << text;
  for (size_t start = 0; start <= text.size(); ++start) {
    auto a = fast.search(text, start);
    auto b = plain.search(text, start);
    ASSERT_EQ(a.has_value(), b.has_value()) << "start " << start << " in " << text;
    if (a) {
      ASSERT_EQ(a->begin(), b->begin()) << "start " << start << " in " << text;
      ASSERT_EQ(a->end(), b->end()) << "start " << start << " in " << text;
      ASSERT_EQ(a->group(text, 1), b->group(text, 1));
    }
  }
}

const std::vector<std::string>& patterns() {
  static const std::vector<std::string> p = {
      "(?<=the answer is )(.*)(?=.)",  // lm-eval's BBH strict-match
      "(?<=answer: )([A-D])",
      "(?<=aa)a*(b)?",  // overlapping occurrences of the prefix
      "(?<=x)",         // empty matches
  };
  return p;
}

TEST(RegexLookbehindPrefixTest, FastPathAppliesOnlyToPlainLiteralLookbehinds) {
  EXPECT_EQ(Regex("(?<=the answer is )(.*)(?=.)").required_prefix(), "the answer is ");
  EXPECT_EQ(Regex("(?<=the answer is )(.*)", Regex::Options{.plain = true}).required_prefix(), "");
  EXPECT_EQ(Regex("(?<=the answer is )(.*)", Regex::Options{.case_insensitive = true}).required_prefix(), "");
  EXPECT_EQ(Regex("(?<=a|b)c").required_prefix(), "");
  EXPECT_EQ(Regex("(?<=\\d)c").required_prefix(), "");
  EXPECT_EQ(Regex("(?<!a)c").required_prefix(), "");
  EXPECT_EQ(Regex("x(?<=x)").required_prefix(), "");
}

TEST(RegexLookbehindPrefixTest, SameMatchesAsPcre2OnRandomText) {
  const std::vector<std::string> pieces = {"the answer is ",
                                           "the answer is",
                                           "he answer is ",
                                           "answer: ",
                                           "A",
                                           "B",
                                           "(C)",
                                           ".",
                                           "\n",
                                           " ",
                                           "aa",
                                           "a",
                                           "b",
                                           "x",
                                           "\xc3\xa9",  // é
                                           "\xff",      // invalid UTF-8
                                           "\xe2\x82",  // truncated sequence
                                           "So "};
  std::mt19937 rng(20261206);
  for (const std::string& p : patterns()) {
    Regex fast(p);
    Regex plain(p, Regex::Options{.plain = true});
    ASSERT_FALSE(fast.required_prefix().empty()) << p;
    for (int i = 0; i < 3000; ++i) {
      std::string text;
      int n = static_cast<int>(rng() % 12);
      for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
      expect_same(fast, plain, text);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(RegexLookbehindPrefixTest, SameMatchesAsPcre2OnRealBbhOutputs) {
  REQUIRE_SHARED_DATA();
  auto dir = testing::shared_data_dir() / "bbh" / "code-davinci-002-outputs" / "code-davinci-002-cot";
  Regex fast(patterns().front());
  Regex plain(patterns().front(), Regex::Options{.plain = true});
  size_t texts = 0, matched = 0;
  for (const char* task : {"date_understanding", "dyck_languages", "word_sorting", "multistep_arithmetic_two"}) {
    auto path = dir / (std::string(task) + "_few_shot_template_0-255000.json");
    simdjson::ondemand::parser parser;
    simdjson::padded_string json = simdjson::padded_string::load(path.string());
    simdjson::ondemand::document doc = parser.iterate(json);
    for (simdjson::ondemand::object record : doc["outputs"].get_array()) {
      std::string input{std::string_view(record["input"])};
      std::string prediction{std::string_view(record["prediction"])};
      // the output, and the prompt + output as a run-on continuation would read
      ASSERT_EQ(describe(fast.find_all(prediction), prediction), describe(plain.find_all(prediction), prediction));
      std::string joined = input + prediction;
      ASSERT_EQ(describe(fast.find_all(joined), joined), describe(plain.find_all(joined), joined));
      ++texts;
      matched += fast.search(prediction) ? 1 : 0;
    }
  }
  EXPECT_GT(texts, 900u);
  EXPECT_GT(matched, texts / 2);  // the real outputs do state their answers
}

}  // namespace
}  // namespace caploop
