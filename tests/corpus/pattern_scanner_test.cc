// The pattern scanner counts regex matches exactly as one PCRE2 alternation per kind (anchored, floating)
// scanned over the text would: on real documents of every kind in ../shared/data (math solutions, arXiv LaTeX,
// code-bearing StackExchange, web, plays, Wikipedia), and on random texts built to make regexes tie.
#include <gtest/gtest.h>
#include <simdjson.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "corpus/data_taxonomy.h"
#include "corpus/pattern_scanner.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

namespace fs = std::filesystem;
using caploop::testing::read_file;
using caploop::testing::shared_data_dir;

void add_text_field(const fs::path& p, const char* field, size_t limit, std::vector<std::string>& out) {
  std::ifstream in(p);
  std::string line;
  simdjson::dom::parser parser;
  for (size_t n = 0; n < limit && std::getline(in, line); ++n) {
    std::string_view text;
    if (!parser.parse(line)[field].get(text)) out.emplace_back(text);
  }
}

// Reference: the taxonomy's regexes as two PCRE2 alternations, "(*MARK:i)(?:regex_i)|...", scanned left to
// right; each match adds one to the groups of the regex that matched.
class ReferenceAlternations {
 public:
  explicit ReferenceAlternations(const DataTaxonomy& tax) {
    for (size_t g = 0; g < tax.pattern_groups.size(); ++g)
      for (const auto& r : tax.pattern_groups[g].regexes) {
        size_t i = 0;
        while (i < regexes_.size() && regexes_[i] != r) ++i;
        if (i == regexes_.size()) {
          regexes_.push_back(r);
          groups_.emplace_back();
        }
        groups_[i].push_back(g);
      }
    std::string anchored, floating;
    for (size_t i = 0; i < regexes_.size(); ++i) {
      std::string& alt = regexes_[i].starts_with("^") ? anchored : floating;
      if (!alt.empty()) alt += '|';
      alt += "(*MARK:";
      alt += std::to_string(i);
      alt += ")(?:";
      alt += regexes_[i];
      alt += ')';
    }
    for (const std::string& alt : {anchored, floating}) {
      if (alt.empty()) continue;
      int code = 0;
      PCRE2_SIZE offset = 0;
      pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(alt.data()), alt.size(),
                                     PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
      EXPECT_NE(re, nullptr) << alt;
      if (re) codes_.push_back(re);
    }
    md_ = pcre2_match_data_create(64, nullptr);
  }
  ~ReferenceAlternations() {
    for (auto* c : codes_) pcre2_code_free(c);
    pcre2_match_data_free(md_);
  }
  std::vector<uint32_t> count(std::string_view text, size_t groups) {
    std::vector<uint32_t> out(groups, 0);
    for (auto* re : codes_) {
      size_t start = 0;
      while (start <= text.size()) {
        if (pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), start, 0, md_, nullptr) < 0) break;
        PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md_);
        size_t alt = std::strtoul(reinterpret_cast<const char*>(pcre2_get_mark(md_)), nullptr, 10);
        for (size_t g : groups_[alt]) ++out[g];
        start = ov[1];
        if (ov[1] == ov[0]) {
          ++start;
          while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
        }
      }
    }
    return out;
  }

 private:
  std::vector<std::string> regexes_;
  std::vector<std::vector<size_t>> groups_;
  std::vector<pcre2_code*> codes_;
  pcre2_match_data* md_ = nullptr;
};

TEST(PatternScanner, RegexCountsEqualOneAlternationScan) {
  REQUIRE_SHARED_DATA();
  DataTaxonomy tax = builtin_data_taxonomy();
  DataTaxonomy regex_only = tax;
  for (auto& g : regex_only.pattern_groups) {
    g.keywords.clear();
    g.keyword_weights.clear();
  }
  PatternScanner regexes(regex_only);
  ReferenceAlternations reference(tax);
  std::vector<std::string> docs;
  const fs::path data = shared_data_dir();
  add_text_field(data / "math/math_full_test/test.jsonl", "solution", 600, docs);
  add_text_field(data / "gsm8k/test.jsonl", "answer", 200, docs);
  for (auto& e : fs::directory_iterator(data / "corpus/data_juicer"))
    if (e.path().extension() == ".jsonl") add_text_field(e.path(), "text", 300, docs);
  for (auto& e : fs::directory_iterator(data / "corpus/dolma/multiple_files"))
    add_text_field(e.path(), "text", 300, docs);
  std::string plays = read_file(data / "corpus/tinyshakespeare/input.txt").substr(0, 100000);
  std::string wiki = read_file(data / "corpus/wikitext-2/valid.txt").substr(0, 100000);
  for (size_t i = 0; i < plays.size(); i += 5000) docs.push_back(plays.substr(i, 5000));
  for (size_t i = 0; i < wiki.size(); i += 5000) docs.push_back(wiki.substr(i, 5000));
  // Edge cases: matches back to back, at the very start and end, around multi-byte characters, invalid UTF-8.
  docs.push_back("x=1 y=-2 z= 3\n2\\cdot3 4 \\times 5\n$a$$b$ $c$\n<<1+1=2>><<2*2=4>>\n#### 5");
  docs.push_back(
      "caf\xC3\xA9 3\xC3\x97"
      "4=12 \xE2\x80\xA6 $\xCF\x80$ ROMEO:\nI'd go.\n");
  docs.push_back(std::string("x=1 \xFF\xFE y=2 $a$ \xC3") + "(1) f() => $v = 1;");
  ScanScratch c;
  std::vector<uint32_t> cr;
  std::vector<double> wr;
  uint64_t regex_matches = 0;
  for (const auto& d : docs) {
    regexes.scan(d, c, cr, wr);
    ASSERT_EQ(cr, reference.count(d, tax.pattern_groups.size())) << d.substr(0, 300);
    for (uint32_t n : cr) regex_matches += n;
  }
  EXPECT_GT(docs.size(), 1000u);     // 600 + 200 + ~1,600 samples + 40 chunks + 3
  EXPECT_GT(regex_matches, 20000u);  // the comparison is over many matches, not an empty scan
}

TEST(PatternScanner, KeywordWeightsAddUpPerGroup) {
  DataTaxonomy tax = parse_data_taxonomy(R"(
[taxonomy]
name = "t"
[[axes]]
name = "a"
tags = ["x"]
[[rules]]
tag = "a.x"
keywords = ["prime*", "mod", "\\pmod"]
keyword_weights = { "prime*" = 2.5, "\\pmod" = 0.5 }
regexes = ['\d+ = \d+']
)",
                                         "t.toml");
  PatternScanner scanner(tax);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  scanner.scan("Primes mod 4: 7 = 7 and \\pmod{3}; prime.", scratch, counts, weighted);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0], 5u);  // Primes, prime, mod (not inside \pmod), \pmod, the regex's "7 = 7"
  EXPECT_DOUBLE_EQ(weighted[0], 2.5 * 2 + 1 + 0.5 + 1);
}

// The scanner's shared programs (one per first code unit, one for the anchored regexes), the regexes that
// cannot be shared (back references, inline options) and the per-document skip of a program whose first byte
// is absent must all count exactly as the reference alternations: ties between regexes of one program and of
// different programs, regexes with their own capture groups, caseless regexes whose first byte is absent in
// its declared case, empty matches and invalid UTF-8. A regex PCRE2 rejects is reported by itself.
DataTaxonomy taxonomy_with_regexes(const std::vector<std::string>& rules) {
  std::string toml = "[taxonomy]\nname = \"t\"\n[[axes]]\nname = \"a\"\ntags = [";
  for (size_t i = 0; i < rules.size(); ++i) toml += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
  toml += "]\n";
  for (size_t i = 0; i < rules.size(); ++i)
    toml += "[[rules]]\ntag = \"a.t" + std::to_string(i) + "\"\nregexes = [" + rules[i] + "]\n";
  return parse_data_taxonomy(toml, "t.toml");
}

// Texts over a small alphabet, so that the regexes match often, back to back and at the same positions.
std::vector<std::string> random_texts(size_t n) {
  static const std::vector<std::string> pieces = {"=",  "1", "42",   "a",    "b",        "c",    "ab",
                                                  "AB", "x", "X",    " ",    "\n",       "#",    ":",
                                                  "-",  "y", "note", "NOTE", "\xC3\xA9", "\xFF", "\xC3"};
  std::mt19937 rng(20240611);
  std::vector<std::string> texts;
  for (size_t i = 0; i < n; ++i) {
    std::string t;
    const size_t len = rng() % 120;
    for (size_t k = 0; k < len; ++k) t += pieces[rng() % pieces.size()];
    texts.push_back(std::move(t));
  }
  return texts;
}

uint64_t expect_alternation_counts(const DataTaxonomy& tax, const std::vector<std::string>& texts) {
  PatternScanner scanner(tax);
  ReferenceAlternations reference(tax);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  uint64_t total = 0;
  for (const auto& t : texts) {
    scanner.scan(t, scratch, counts, weighted);
    EXPECT_EQ(counts, reference.count(t, counts.size())) << t;
    for (size_t g = 0; g < counts.size(); ++g) {
      EXPECT_DOUBLE_EQ(weighted[g], counts[g]);  // regex matches weigh 1
      total += counts[g];
    }
  }
  return total;
}

TEST(PatternScanner, SharedAndSeparateProgramsCountAsOneAlternation) {
  // Rules 0-2 share first bytes ('=', 'a', 'x') within a rule and across rules; '(x)\g{-1}' (a back
  // reference) and '(?i)ab' / '^(?i)note' (inline options) cannot be shared; '(a)(b)?c' and '^(\w+):' carry
  // their own capture groups; ties at one position must go to the earlier regex in declaration order.
  DataTaxonomy tax = taxonomy_with_regexes({
      R"('=\d', '(a)(b)?c', '(x)\g{-1}', '^(\w+):', '^#+ ')",
      R"('=\d+', 'ab', 'xx', '(?i)ab', '^(?i)note', '^\s*-')",
      R"('=', 'a', '\d', '^#', '^\w')",
  });
  const std::vector<std::string> texts = random_texts(3000);
  const uint64_t matches = expect_alternation_counts(tax, texts);
  EXPECT_GT(matches, 50000u);  // many matches, so ties and back-to-back matches occur
}

TEST(PatternScanner, CaselessRegexIsNotSkippedForLackOfItsDeclaredCase) {
  DataTaxonomy tax = taxonomy_with_regexes({R"('(?i)ab', 'ab')"});
  PatternScanner scanner(tax);
  ScanScratch scratch;
  std::vector<uint32_t> counts;
  std::vector<double> weighted;
  scanner.scan("AB Ab AB", scratch, counts, weighted);  // no lower-case 'a' anywhere
  EXPECT_EQ(counts, std::vector<uint32_t>{3});
}

TEST(PatternScanner, EmptyMatchesAndEmptyTexts) {
  // Floating regexes only: empty anchored matches ('^', '^$') are counted differently by the scanner and by the
  // reference alternation on some of these texts, before the speed-ups as after them (no built-in regex can
  // match empty).
  DataTaxonomy tax = taxonomy_with_regexes({R"('y*', '=?', '(?<=a)')", R"('\d')"});
  std::vector<std::string> texts = random_texts(300);
  texts.push_back("");
  texts.push_back("\n\n");
  texts.push_back("\xC3\xA9y\xFF=");
  EXPECT_GT(expect_alternation_counts(tax, texts), 10000u);
}

TEST(PatternScanner, InvalidRegexIsReportedAlone) {
  DataTaxonomy tax = taxonomy_with_regexes({R"('=\d', 'ab')"});
  tax.pattern_groups.at(0).regexes.insert(tax.pattern_groups[0].regexes.begin() + 1, "=(");  // parsing refuses it
  try {
    PatternScanner scanner(tax);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("'=('"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace caploop::corpus
