// The regexes anchored at line starts run by line-start dispatch (each tried, compiled anchored, only at line
// starts whose first byte PCRE2's start analysis allows); their matches must count exactly as one PCRE2
// alternation of them scanned left to right: the built-in taxonomy's line regexes and harder ones (matches over
// several lines, empty matches, inline case options, lookbehinds, non-ASCII first bytes), on random text with
// line breaks in every form and invalid UTF-8, and on real text.
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

// A taxonomy with one rule (and pattern group) per regex, in order.
DataTaxonomy taxonomy_of(const std::vector<std::string>& regexes) {
  std::string toml = "[taxonomy]\nname = \"t\"\n[[axes]]\nname = \"a\"\ntags = [";
  for (size_t i = 0; i < regexes.size(); ++i) toml += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
  toml += "]\n";
  for (size_t i = 0; i < regexes.size(); ++i)
    toml += "[[rules]]\ntag = \"a.t" + std::to_string(i) + "\"\nregexes = ['" + regexes[i] + "']\n";
  return parse_data_taxonomy(toml, "t.toml");
}

const std::vector<std::string> kBuiltinLineRegexes = {
    R"(^[A-Z][A-Za-z ]{1,30}:$)",
    R"(^#### )",
    R"(^\s*(def|class|import|from|public|private|function|var|let|const|#include)\b)",
    R"(^ = [^=\n].* = $)",
    R"(^ = = .* = = $)",
    R"(^\s*\d{1,2}[.)]\s+[A-Z])",
    R"(^[QA]:\s)",
    R"(^\s*step \d+)",
    R"(^\s*\d{1,2}[.)]\s)"};
const std::vector<std::string> kHarderLineRegexes = {
    R"(^\s*$)", R"(^(?i)step)",    R"(^(?<=\n)x)",  R"(^\x{00e9}t\x{00e9})",
    R"(^a|^b)", R"(^[^a-z\s]{2})", R"(^(?:x|y)*z)", R"(^\s+\n\s*Q)",
    R"(^#)",    R"(^Step)"};

std::vector<std::string> all_line_regexes() {
  std::vector<std::string> all = kBuiltinLineRegexes;
  all.insert(all.end(), kHarderLineRegexes.begin(), kHarderLineRegexes.end());
  return all;
}

TEST(PatternScannerLines, LineRegexesCountAsOneAlternationOnRandomText) {
  for (const auto& regexes : {kBuiltinLineRegexes, kHarderLineRegexes, all_line_regexes()}) {
    PatternScanner scanner(taxonomy_of(regexes));
    ASSERT_TRUE(scanner.dispatches_line_regexes());
    const std::vector<std::string> pieces = {"\n",
                                             "\n",
                                             "\n",
                                             "\r\n",
                                             "\r",
                                             " ",
                                             "  ",
                                             "\t",
                                             "\v",
                                             "A",
                                             "Q",
                                             "A:",
                                             "Q: ",
                                             "Step",
                                             "step 3",
                                             "STEP",
                                             "def",
                                             "class",
                                             "#include",
                                             "####",
                                             "#### ",
                                             " = ",
                                             " = = ",
                                             "=",
                                             "1.",
                                             "12)",
                                             "3. ",
                                             " Hello world",
                                             ":",
                                             "x",
                                             "y",
                                             "z",
                                             "a",
                                             "b",
                                             "\xC3\xA9t\xC3\xA9",
                                             "\xC3\xA9",
                                             "\xFF",
                                             "\xC3",
                                             "Title Case:",
                                             std::string(1, '\0')};
    std::mt19937 rng(20261206);
    ScanScratch scratch;
    std::vector<uint32_t> counts;
    std::vector<double> weighted;
    uint64_t total = 0;
    for (int round = 0; round < 4000; ++round) {
      std::string text;
      for (size_t k = rng() % 70; k > 0; --k) text += pieces[rng() % pieces.size()];
      scanner.scan(text, scratch, counts, weighted);
      ASSERT_EQ(counts, alternation_counts(regexes, text)) << text;
      for (uint32_t n : counts) total += n;
    }
    EXPECT_GT(total, 3000u);
  }
}

TEST(PatternScannerLines, LineRegexesCountAsOneAlternationOnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  const std::vector<std::string> regexes = all_line_regexes();
  PatternScanner scanner(taxonomy_of(regexes));
  ASSERT_TRUE(scanner.dispatches_line_regexes());
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"},
           {"corpus/data_juicer/stack_exchange.jsonl", "text"},
           {"corpus/data_juicer/redpajama-cc-2023-06-refined.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 600)) {
      scanner.scan(t, scratch, counts, weighted);
      ASSERT_EQ(counts, alternation_counts(regexes, t)) << t;
      for (uint32_t c : counts) total += c;
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
  EXPECT_GT(total, 1000u);
}

TEST(PatternScannerLines, RegexesNotAnchoredAtEveryMatchRunAsPrograms) {
  // '^a|b' matches "b" anywhere: the line regexes fall back to PCRE2's own search, with the same counts.
  const std::vector<std::string> regexes = {R"(^a|b)", R"(^#)"};
  PatternScanner scanner(taxonomy_of(regexes));
  EXPECT_FALSE(scanner.dispatches_line_regexes());
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  for (const std::string text : {"a b\nab\n#b", "", "\n\na", "bbb"}) {
    scanner.scan(text, scratch, counts, weighted);
    EXPECT_EQ(counts, alternation_counts(regexes, text)) << text;
  }
  EXPECT_TRUE(PatternScanner(taxonomy_of(kBuiltinLineRegexes)).dispatches_line_regexes());
}

}  // namespace
}  // namespace caploop::corpus
