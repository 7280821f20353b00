// SequenceRegex must give PCRE2's anchored match (multi-line, UTF, invalid UTF-8 tolerated) at every position
// of random text (digits, operators, the multiplication sign, white space, '$', '<<', '>>', invalid UTF-8,
// multi-byte letters) and real text (MATH solutions, web and Stack Exchange text), for the built-in floating
// regexes it accepts; it must refuse what it cannot model exactly; and the scanner with its sequence programs
// must still count as one PCRE2 alternation.
#include "corpus/sequence_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <gtest/gtest.h>
#include <pcre2.h>

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

// The built-in regexes this matcher takes, and a few more sequences (bounded counts, a greedy run before a
// disjoint rest, escapes, classes with ranges and multi-byte members).
const std::vector<std::string> kAccepted = {R"(\d++\s*+[-+*/x\x{00d7}]\s*+\d++\s*+=)",
                                            R"(<<[^>\n]{1,80}>>)",
                                            R"(\$[^$\n]{1,200}\$)",
                                            R"(=>)",
                                            R"(\$\w+\s*=)",
                                            R"(=\s*\$?-?\d)",
                                            R"(a{2,3}b)",
                                            R"([a-c\x{00e9}]+\d)",
                                            R"(\D{1,4}+7)",
                                            R"(é+[^é\s]{2})",
                                            R"(\w*+\.)",
                                            R"(x\x{2192}\S)"};
// What it must refuse (backtracking needed, assertions, groups, alternation, anchors, lazy, empty).
const std::vector<std::string> kRefused = {
    R"(\d+\d)", R"(\s*\s)", R"(a\b)", R"((?<!\w)\(\))", R"((?:a|b)c)", R"(^#### )",      R"([;{}]\s*$)",
    R"(a.b)",   R"(a+?b)",  R"(\d*)", R"(\w+\s*\w)",    R"(\p{L}+)",   R"([[:alpha:]]x)"};

struct Reference {
  pcre2_code* re = nullptr;
  pcre2_match_data* md = nullptr;
  explicit Reference(const std::string& source) {
    int err = 0;
    PCRE2_SIZE off = 0;
    re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                       PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED, &err, &off, nullptr);
    md = pcre2_match_data_create_from_pattern(re, nullptr);
  }
  ~Reference() {
    pcre2_match_data_free(md);
    pcre2_code_free(re);
  }
  size_t match_at(const std::string& text, size_t start) const {
    if (pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), start, 0, md, nullptr) < 0)
      return SequenceRegex::npos;
    // In invalid-UTF mode PCRE2 retries an anchored pattern at the start of each later valid stretch (after an
    // invalid byte); only a match at `start` is the anchored match there.
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    return ov[0] == start ? ov[1] : SequenceRegex::npos;
  }
};

// Compares every accepted regex with PCRE2 at every ASCII byte of `text` (the scanner starts attempts only at
// a program's first byte or a digit; PCRE2 moves an attempt at invalid UTF-8 on to the next valid character);
// returns the matches seen.
uint64_t compare_everywhere(const std::vector<SequenceRegex>& mine, const std::vector<std::unique_ptr<Reference>>& refs,
                            const std::string& text) {
  uint64_t matches = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) continue;
    for (size_t r = 0; r < mine.size(); ++r) {
      const size_t expected = refs[r]->match_at(text, i);
      EXPECT_EQ(mine[r].match_at(text, i), expected)
          << kAccepted[r] << " at " << i << " in: " << ::testing::PrintToString(text);
      if (::testing::Test::HasFailure()) return matches;
      matches += expected != SequenceRegex::npos;
    }
  }
  return matches;
}

std::vector<SequenceRegex> compile_all() {
  std::vector<SequenceRegex> out;
  for (const auto& r : kAccepted) {
    auto compiled = SequenceRegex::compile(r);
    EXPECT_TRUE(compiled.has_value()) << r;
    if (compiled) out.push_back(std::move(*compiled));
  }
  return out;
}

std::vector<std::unique_ptr<Reference>> references() {
  std::vector<std::unique_ptr<Reference>> out;
  for (const auto& r : kAccepted) out.push_back(std::make_unique<Reference>(r));
  return out;
}

TEST(SequenceRegex, RefusesWhatItCannotModel) {
  for (const auto& r : kRefused) EXPECT_FALSE(SequenceRegex::compile(r).has_value()) << r;
}

TEST(SequenceRegex, MatchesAsPcre2OnRandomText) {
  const auto mine = compile_all();
  ASSERT_EQ(mine.size(), kAccepted.size());
  const auto refs = references();
  const std::vector<std::string> pieces = {"1",
                                           "23",
                                           "456",
                                           "7",
                                           " ",
                                           "\n",
                                           "\t",
                                           "\r",
                                           "\v",
                                           "\f",
                                           "+",
                                           "-",
                                           "*",
                                           "/",
                                           "x",
                                           "\xC3\x97",
                                           "\xC3",
                                           "\xFF",
                                           "\x80",
                                           "\xED\xA0\x80",
                                           "\xE2\x86\x92",
                                           "\xF0\x9F\x98\x80",
                                           "=",
                                           "= ",
                                           "$",
                                           "$$",
                                           "<<",
                                           ">>",
                                           ">",
                                           "a",
                                           "aa",
                                           "b",
                                           "c",
                                           "_",
                                           ".",
                                           "\xC3\xA9",
                                           "\xC2\xA0",
                                           std::string(90, 'q'),
                                           std::string(30, '9')};
  std::mt19937 rng(20261206);
  uint64_t matches = 0;
  for (int round = 0; round < 3000 && !::testing::Test::HasFailure(); ++round) {
    std::string text;
    for (size_t k = rng() % 60; k > 0; --k) text += pieces[rng() % pieces.size()];
    matches += compare_everywhere(mine, refs, text);
  }
  EXPECT_GT(matches, 20000u);
}

TEST(SequenceRegex, MatchesAsPcre2OnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  const auto mine = compile_all();
  ASSERT_EQ(mine.size(), kAccepted.size());
  const auto refs = references();
  uint64_t matches = 0;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"},
           {"corpus/data_juicer/redpajama-cc-2023-06-refined.jsonl", "text"},
           {"corpus/data_juicer/stack_exchange.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 100)) {
      if (::testing::Test::HasFailure()) break;
      matches += compare_everywhere(mine, refs, t.substr(0, 3000));
      ++checked;
    }
  }
  EXPECT_GT(checked, 150u);
  EXPECT_GT(matches, 500u);
}

DataTaxonomy taxonomy_of(const std::vector<std::string>& regexes) {
  std::string toml = "[taxonomy]\nname = \"t\"\n[[axes]]\nname = \"a\"\ntags = [";
  for (size_t i = 0; i < regexes.size(); ++i) toml += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
  toml += "]\n";
  for (size_t i = 0; i < regexes.size(); ++i)
    toml += "[[rules]]\ntag = \"a.t" + std::to_string(i) + "\"\nregexes = ['" + regexes[i] + "']\n";
  return parse_data_taxonomy(toml, "t.toml");
}

// The built-in floating regexes: with the sequence programs (the arithmetic one, '<<', '$' and '=' when all
// their members are sequences) the counts stay those of one PCRE2 alternation.
TEST(SequenceRegex, ScannerCountsAsOneAlternation) {
  const std::vector<std::string> regexes = {R"(\d++\s*+[-+*/x\x{00d7}]\s*+\d++\s*+=)",
                                            R"(<<[^>\n]{1,80}>>)",
                                            R"(\$[^$\n]{1,200}\$)",
                                            R"([;{}]\s*$)",
                                            R"((?<=\w)\(\))",
                                            R"(=>)",
                                            R"(\$\w+\s*=)",
                                            R"(=\s*\$?-?\d)",
                                            R"((?<=\d)\^\{?\d)",
                                            R"(a{2,3}b)"};
  PatternScanner scanner(taxonomy_of(regexes));
  EXPECT_GE(scanner.sequence_programs(), 4u);  // arithmetic, '<', '$', '=', 'a'
  const std::vector<std::string> pieces = {"1",    "23",   " ", "\n", "+",  "-",  "x",       "\xC3\x97",
                                           "\xC3", "\xFF", "=", "$",  "<<", ">>", "a",       "aa",
                                           "b",    "()",   "^", "{",  "}",  ";",  "\xC3\xA9"};
  std::mt19937 rng(1206);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (size_t k = rng() % 90; k > 0; --k) text += pieces[rng() % pieces.size()];
    scanner.scan(text, scratch, counts, weighted);
    ASSERT_EQ(counts, alternation_counts(regexes, text)) << text;
    for (uint32_t n : counts) total += n;
  }
  EXPECT_GT(total, 5000u);
}

}  // namespace
}  // namespace caploop::corpus
