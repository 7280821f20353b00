// SequenceRegex with a leading lookbehind of single ASCII characters (optionally starting with \b) or a leading
// \b, as in the built-in '=' program (`(?<=\b[a-z])=\s*-?\d`, `(?<=\b[a-z] )=\s*-?\d`, `=\s*\$?-?\d`): the match
// at every position must be PCRE2's JIT anchored match there, and the scanner must count as one JIT alternation.
// The scanner's programs always ran through the JIT, whose lookbehind sees the whole subject; PCRE2 10.42's
// interpreter does not apply a \b inside a lookbehind to the characters before the search start (first test), so
// the references here use the JIT.
#include <gtest/gtest.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <random>
#include <string>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/pattern_scanner.h"
#include "corpus/sequence_regex.h"
#include "real_texts.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

using testing_reference::texts_of;

constexpr uint32_t kOptions = PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

struct Compiled {
  pcre2_code* re = nullptr;
  pcre2_match_data* md = nullptr;
  Compiled(const std::string& source, uint32_t options, bool jit) {
    int err = 0;
    PCRE2_SIZE off = 0;
    re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), options, &err, &off, nullptr);
    EXPECT_NE(re, nullptr) << source;
    if (re && jit) {
      EXPECT_EQ(pcre2_jit_compile(re, PCRE2_JIT_COMPLETE), 0) << source;
    }
    md = pcre2_match_data_create_from_pattern(re, nullptr);
  }
  ~Compiled() {
    pcre2_match_data_free(md);
    pcre2_code_free(re);
  }
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  // Start of the first match at or after `from` (npos when none); options NO_JIT for the interpreter.
  size_t find(const std::string& text, size_t from, uint32_t match_options = 0) const {
    if (pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), from, match_options, md, nullptr) < 0)
      return std::string::npos;
    return pcre2_get_ovector_pointer(md)[0];
  }
};

TEST(SequenceRegexLookbehind, Pcre2JitAppliesBoundaryInLookbehindBeforeTheSearchStart) {
  const Compiled re(R"((?<=\b[a-z])=\s*-?\d)", kOptions, true);
  // 'a' follows 'x': no word boundary before it, so no match at 2 whatever the search start.
  EXPECT_EQ(re.find("xa=1", 0), std::string::npos);
  EXPECT_EQ(re.find("xa=1", 2), std::string::npos);
  EXPECT_EQ(re.find(" a=1", 2), 2u);
  EXPECT_EQ(re.find("ab=1 a=2", 2), 6u);
  // The interpreter, searching from 2, does not look at the 'x' for the \b (why the references use the JIT).
  EXPECT_EQ(re.find("xa=1", 2, PCRE2_NO_JIT), 2u);
}

const std::vector<std::string> kAccepted = {R"((?<=\b[a-z])=\s*-?\d)", R"((?<=\b[a-z] )=\s*-?\d)",
                                            R"((?<=\d)\^\{?\d)",       R"((?<=\w)\(\))",
                                            R"((?<=[a-z])'d)",         R"(\bx\d)",
                                            R"((?<=\d )\\\w)",         R"((?<=\b_)=)"};
const std::vector<std::string> kRefused = {R"((?<!a)=)",   R"((?<=a)\b=)", R"((?<=é)=)",  R"((?<=[^a])=)",
                                           R"((?<=a|b)=)", R"((?<=a+)=)",  R"((?<=\S)=)", R"((?<=a)(?<=b)=)"};

TEST(SequenceRegexLookbehind, AcceptsSingleAsciiCharactersAndRefusesTheRest) {
  for (const auto& r : kAccepted) EXPECT_TRUE(SequenceRegex::compile(r).has_value()) << r;
  for (const auto& r : kRefused) EXPECT_FALSE(SequenceRegex::compile(r).has_value()) << r;
}

// Every accepted regex against PCRE2's JIT anchored match at every ASCII position; returns the matches seen.
uint64_t compare_everywhere(const std::vector<SequenceRegex>& mine, const std::vector<std::unique_ptr<Compiled>>& refs,
                            const std::string& text) {
  uint64_t matches = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) continue;
    for (size_t r = 0; r < mine.size(); ++r) {
      // A match found further on starts a later valid stretch (see sequence_regex_test.cc): not one at i.
      const size_t expected =
          refs[r]->find(text, i) == i ? pcre2_get_ovector_pointer(refs[r]->md)[1] : SequenceRegex::npos;
      EXPECT_EQ(mine[r].match_at(text, i), expected)
          << kAccepted[r] << " at " << i << " in: " << ::testing::PrintToString(text);
      if (::testing::Test::HasFailure()) return matches;
      matches += expected != SequenceRegex::npos;
    }
  }
  return matches;
}

struct Both {
  std::vector<SequenceRegex> mine;
  std::vector<std::unique_ptr<Compiled>> refs;
  Both() {
    for (const auto& r : kAccepted) {
      auto compiled = SequenceRegex::compile(r);
      EXPECT_TRUE(compiled.has_value()) << r;
      if (compiled) mine.push_back(std::move(*compiled));
      refs.push_back(std::make_unique<Compiled>(r, kOptions | PCRE2_ANCHORED, true));
    }
  }
};

const std::vector<std::string> kPieces = {
    "a",        "b",  "x",  "z",   "A",   "_",        "1",    "23",   " ",    "  ",
    "\n",       "=",  "= ", "=-",  "-",   "^",        "^{",   "{",    "(",    ")",
    "'",        "'d", "\\", "\\w", "$",   "\xC3\xA9", "\xC3", "\xFF", "\x80", "\xE2\x86\x92",
    "\xC2\xA0", "x1", "ab", "a=",  " a ="};

TEST(SequenceRegexLookbehind, MatchesAsPcre2JitOnRandomText) {
  Both both;
  ASSERT_EQ(both.mine.size(), kAccepted.size());
  std::mt19937 rng(20261206);
  uint64_t matches = 0;
  for (int round = 0; round < 4000 && !::testing::Test::HasFailure(); ++round) {
    std::string text;
    for (size_t k = rng() % 40; k > 0; --k) text += kPieces[rng() % kPieces.size()];
    matches += compare_everywhere(both.mine, both.refs, text);
  }
  EXPECT_GT(matches, 1000u);
}

TEST(SequenceRegexLookbehind, MatchesAsPcre2JitOnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  Both both;
  ASSERT_EQ(both.mine.size(), kAccepted.size());
  uint64_t matches = 0;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"}, {"corpus/data_juicer/stack_exchange.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 100)) {
      if (::testing::Test::HasFailure()) break;
      matches += compare_everywhere(both.mine, both.refs, t.substr(0, 3000));
      ++checked;
    }
  }
  EXPECT_GT(checked, 150u);
  EXPECT_GT(matches, 200u);
}

// The alternation of regexes scanned left to right with PCRE2's JIT (as regex_alternation_reference.h does with
// the interpreter).
std::vector<uint32_t> jit_alternation_counts(const Compiled& alt, size_t regexes, const std::string& text) {
  std::vector<uint32_t> counts(regexes, 0);
  size_t pos = 0;
  while (pos <= text.size() &&
         pcre2_match(alt.re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), pos, 0, alt.md, nullptr) >= 0) {
    ++counts[std::stoul(reinterpret_cast<const char*>(pcre2_get_mark(alt.md)))];
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(alt.md);
    pos = ov[1];
    if (ov[1] == ov[0]) {
      ++pos;
      while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
  }
  return counts;
}

// The built-in floating regexes that start with a lookbehind or '=', and their neighbours in the scan: the '='
// program (all three members sequences now), the '^' one, and the arithmetic regex ending in '='.
TEST(SequenceRegexLookbehind, ScannerCountsAsOneJitAlternation) {
  const std::vector<std::string> regexes = {R"(\d++\s*+[-+*/x\x{00d7}]\s*+\d++\s*+=)",
                                            R"((?<=\b[a-z])=\s*-?\d)",
                                            R"((?<=\b[a-z] )=\s*-?\d)",
                                            R"((?<=\d)\^\{?\d)",
                                            R"(=\s*\$?-?\d)",
                                            R"((?<=\w)\(\))"};
  std::string toml = "[taxonomy]\nname = \"t\"\n[[axes]]\nname = \"a\"\ntags = [";
  for (size_t i = 0; i < regexes.size(); ++i) toml += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
  toml += "]\n";
  for (size_t i = 0; i < regexes.size(); ++i)
    toml += "[[rules]]\ntag = \"a.t" + std::to_string(i) + "\"\nregexes = ['" + regexes[i] + "']\n";
  PatternScanner scanner(parse_data_taxonomy(toml, "t.toml"));
  EXPECT_GE(scanner.sequence_programs(), 3u);  // arithmetic, '=', '^', '('
  std::string alt_source;
  for (size_t i = 0; i < regexes.size(); ++i)
    alt_source += (i ? "|(*MARK:" : "(*MARK:") + std::to_string(i) + ")(?:" + regexes[i] + ")";
  const Compiled alt(alt_source, kOptions, true);
  std::mt19937 rng(1206);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (size_t k = rng() % 60; k > 0; --k) text += kPieces[rng() % kPieces.size()];
    scanner.scan(text, scratch, counts, weighted);
    ASSERT_EQ(counts, jit_alternation_counts(alt, regexes.size(), text)) << ::testing::PrintToString(text);
    for (uint32_t n : counts) total += n;
  }
  EXPECT_GT(total, 1000u);
}

}  // namespace
}  // namespace caploop::corpus
