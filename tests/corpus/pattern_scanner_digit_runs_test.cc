// Floating regexes that start with a possessive digit run run only at digit runs followed by a byte their rest
// can start with (found from the digit and space masks), each tried anchored; their matches, and those of the
// regexes they share the alternation with, must count exactly as one PCRE2 alternation scanned left to right:
// on random text with digit runs across the 64-byte blocks, operators, the multiplication sign, white space in
// every form and invalid UTF-8, and on real text (MATH solutions, GSM8K-style arithmetic, web text).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/pattern_scanner.h"
#include "real_texts.h"
#include "regex_alternation_reference.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

using testing_reference::texts_of;

using testing_reference::alternation_counts;

DataTaxonomy taxonomy_of(const std::vector<std::string>& regexes) {
  std::string toml = "[taxonomy]\nname = \"t\"\n[[axes]]\nname = \"a\"\ntags = [";
  for (size_t i = 0; i < regexes.size(); ++i) toml += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
  toml += "]\n";
  for (size_t i = 0; i < regexes.size(); ++i)
    toml += "[[rules]]\ntag = \"a.t" + std::to_string(i) + "\"\nregexes = ['" + regexes[i] + "']\n";
  return parse_data_taxonomy(toml, "t.toml");
}

// The built-in floating regexes (the digit-run one among them) and more digit-run regexes: a class right after
// the run, white space then a word, a rest that can match empty (runs as before), and one after a lookbehind.
// (Not `(?<=\b[a-z])=...`: PCRE2 10.42's interpreter, which the reference uses, and its JIT, which the scanner
// uses, disagree on a \b inside a lookbehind right after a search start; the scanner's programs were always JIT.)
const std::vector<std::string> kRegexes = {R"(\d++\s*+[-+*/x\x{00d7}]\s*+\d++\s*+=)",
                                           R"(<<[^>\n]{1,80}>>)",
                                           R"(\$[^$\n]{1,200}\$)",
                                           R"([;{}]\s*$)",
                                           R"((?<=\w)\(\))",
                                           R"(=>)",
                                           R"(\$\w+\s*=)",
                                           R"(=\s*\$?-?\d)",
                                           R"((?<=\d)\^\{?\d)",
                                           R"(\d++[a-c])",
                                           R"(\d++\s*+(?:cm|kg)\b)",
                                           R"(\d++(?=%))",
                                           R"(\d++\.\d)",
                                           R"((?<=x)\d++y)"};

TEST(PatternScannerDigitRuns, CountAsOneAlternationOnRandomText) {
  PatternScanner scanner(taxonomy_of(kRegexes));
  EXPECT_GE(scanner.digit_run_programs(), 4u);  // the first, [a-c], cm|kg, \.\d
  const std::vector<std::string> pieces = {"1",
                                           "23",
                                           "456",
                                           "0",
                                           " ",
                                           "  ",
                                           "\n",
                                           "\t",
                                           "\r\n",
                                           "\v",
                                           "+",
                                           "-",
                                           "*",
                                           "/",
                                           "x",
                                           "X",
                                           "\xC3\x97",
                                           "\xC3",
                                           "\xFF",
                                           "=",
                                           "= ",
                                           "==",
                                           "$",
                                           "<<",
                                           ">>",
                                           "a",
                                           "b",
                                           "c",
                                           "cm",
                                           "kg",
                                           "%",
                                           ".",
                                           "()",
                                           "^",
                                           "{",
                                           "}",
                                           ";",
                                           "y",
                                           std::string(70, '7'),
                                           std::string(63, ' '),
                                           "\xC3\xA9"};
  std::mt19937 rng(1414);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0, digit_runs = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (size_t k = rng() % 90; k > 0; --k) text += pieces[rng() % pieces.size()];
    scanner.scan(text, scratch, counts, weighted);
    ASSERT_EQ(counts, alternation_counts(kRegexes, text)) << text;
    for (uint32_t n : counts) total += n;
    digit_runs += counts[0] + counts[9] + counts[10] + counts[12];
  }
  EXPECT_GT(total, 5000u);
  EXPECT_GT(digit_runs, 1000u);  // the regexes that run at digit runs matched often
}

TEST(PatternScannerDigitRuns, CountAsOneAlternationOnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  PatternScanner scanner(taxonomy_of(kRegexes));
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"},
           {"corpus/data_juicer/redpajama-cc-2023-06-refined.jsonl", "text"},
           {"corpus/data_juicer/stack_exchange.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 600)) {
      scanner.scan(t, scratch, counts, weighted);
      ASSERT_EQ(counts, alternation_counts(kRegexes, t)) << t;
      total += counts[0];
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
  EXPECT_GT(total, 10u);  // the arithmetic regex matched (25 times) in what was compared
}

}  // namespace
}  // namespace caploop::corpus
