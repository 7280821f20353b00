// A floating regex that starts with a class of a few bytes runs as one regex per byte; its matches must count
// exactly as the regex itself does in one PCRE2 alternation scanned left to right, including ties with other
// regexes starting with the same bytes (declared before and after it), matches that run over line ends, and
// classes of metacharacters.
#include <gtest/gtest.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <random>
#include <string>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/pattern_scanner.h"

namespace caploop::corpus {
namespace {

// Counts per regex of "(*MARK:i)(?:r_i)|..." scanned left to right (no regex here can match empty).
std::vector<uint32_t> reference_counts(const std::vector<std::string>& regexes, const std::string& text) {
  std::string alt;
  for (size_t i = 0; i < regexes.size(); ++i)
    alt += (i ? "|(*MARK:" : "(*MARK:") + std::to_string(i) + ")(?:" + regexes[i] + ")";
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(alt.data()), alt.size(),
                                 PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, nullptr);
  EXPECT_NE(re, nullptr);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(re, nullptr);
  std::vector<uint32_t> counts(regexes.size(), 0);
  size_t pos = 0;
  while (pos <= text.size() &&
         pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), pos, 0, md, nullptr) >= 0) {
    ++counts[std::stoul(reinterpret_cast<const char*>(pcre2_get_mark(md)))];
    pos = pcre2_get_ovector_pointer(md)[1];
  }
  pcre2_match_data_free(md);
  pcre2_code_free(re);
  return counts;
}

TEST(PatternScannerSplit, ClassStartedRegexCountsAsItself) {
  const std::vector<std::string> regexes = {R"(\{x)", R"([;{}]\s*$)", R"([.=]=+)", R"(;;)", R"([+*]\d)", R"(=\s*\d)"};
  std::string toml = "[taxonomy]\nname = \"t\"\n[[axes]]\nname = \"a\"\ntags = [";
  for (size_t i = 0; i < regexes.size(); ++i) toml += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
  toml += "]\n";
  for (size_t i = 0; i < regexes.size(); ++i)
    toml += "[[rules]]\ntag = \"a.t" + std::to_string(i) + "\"\nregexes = ['" + regexes[i] + "']\n";
  PatternScanner scanner(parse_data_taxonomy(toml, "t.toml"));
  const std::vector<std::string> pieces = {"{", "}", ";", "x", "=", ".", "+", "*", "1", " ", "\n", "\t", "\r\n", "ab"};
  std::mt19937 rng(20261206);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (size_t k = rng() % 80; k > 0; --k) text += pieces[rng() % pieces.size()];
    scanner.scan(text, scratch, counts, weighted);
    ASSERT_EQ(counts, reference_counts(regexes, text)) << text;
    for (uint32_t n : counts) total += n;
  }
  EXPECT_GT(total, 5000u);  // about 8,800: the comparison covers many matches
}

}  // namespace
}  // namespace caploop::corpus
