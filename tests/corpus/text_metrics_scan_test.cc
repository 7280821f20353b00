// The metrics read off ByteClassScan masks must equal, metric by metric and bit for bit, what the byte-by-byte
// definition gives (the pass the tagger used before the scan; kept here as the reference). Checked on real text
// (MATH solutions, web, arXiv, StackExchange samples) and on random texts built to hit the block boundaries,
// white space runs, dots, ellipses, bullets, braces, digits and multi-byte UTF-8.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "corpus/byte_class_scan.h"
#include "corpus/text_metrics.h"
#include "real_texts.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

using testing_reference::texts_of;

bool ref_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool ref_terminal(unsigned char c) { return c == '.' || c == '!' || c == '?' || c == '"' || c == '\''; }
std::string_view ref_trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && ref_space(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && ref_space(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}
bool ref_stopword(std::string w) {
  for (char& c : w) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return w == "the" || w == "be" || w == "to" || w == "of" || w == "and" || w == "that" || w == "have" || w == "with";
}

// The definitions, byte by byte, line by line.
TextMetrics reference_metrics(std::string_view text) {
  size_t words = 0, word_cp = 0, alpha = 0, stop = 0, digits = 0, symbols = 0, braces = 0, cont_total = 0;
  size_t lines = 0, bullets = 0, ellipsis = 0, terminal = 0;
  std::vector<uint64_t> hashes;
  size_t start = 0;
  const size_t n = text.size();
  while (start <= n) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = n;
    std::string_view raw = text.substr(start, end - start);
    size_t i = 0;
    while (i < raw.size()) {
      if (ref_space(static_cast<unsigned char>(raw[i]))) {
        ++i;
        continue;
      }
      size_t ws = i, cont = 0;
      bool has_letter = false;
      for (; i < raw.size() && !ref_space(static_cast<unsigned char>(raw[i])); ++i) {
        unsigned char c = static_cast<unsigned char>(raw[i]);
        cont += (c & 0xC0) == 0x80;
        has_letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0;
        digits += c >= '0' && c <= '9';
        symbols += c == '#';
        braces += c == '{' || c == '}';
      }
      ++words;
      word_cp += i - ws - cont;
      cont_total += cont;
      alpha += has_letter;
      if (i - ws <= 4 && i - ws >= 2 && ref_stopword(std::string(raw.substr(ws, i - ws)))) ++stop;
    }
    for (size_t p = raw.find("..."); p != std::string_view::npos; p = raw.find("...", p + 3)) ++symbols;
    for (size_t p = raw.find("\xE2\x80\xA6"); p != std::string_view::npos; p = raw.find("\xE2\x80\xA6", p + 3))
      ++symbols;
    std::string_view line = ref_trim(raw);
    if (!line.empty()) {
      ++lines;
      if (line[0] == '-' || line[0] == '*' || line.starts_with("\xE2\x80\xA2")) ++bullets;
      if (line.ends_with("...") || line.ends_with("\xE2\x80\xA6")) ++ellipsis;
      if (ref_terminal(static_cast<unsigned char>(line.back()))) ++terminal;
      hashes.push_back(std::hash<std::string_view>{}(raw));
    }
    start = end + 1;
  }
  std::sort(hashes.begin(), hashes.end());
  size_t distinct = static_cast<size_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
  const size_t cp = n - cont_total;
  const double nl = static_cast<double>(std::max<size_t>(lines, 1)), nw = static_cast<double>(words);
  std::string_view t = ref_trim(text);
  TextMetrics m{};
  m[kChars] = static_cast<double>(n);
  m[kWords] = nw;
  m[kLines] = static_cast<double>(lines);
  m[kMeanWordLength] = words ? static_cast<double>(word_cp) / nw : 0.0;
  m[kSymbolWordRatio] = words ? static_cast<double>(symbols) / nw : 0.0;
  m[kBulletLineFraction] = static_cast<double>(bullets) / nl;
  m[kEllipsisLineFraction] = static_cast<double>(ellipsis) / nl;
  m[kAlphaWordFraction] = words ? static_cast<double>(alpha) / nw : 0.0;
  m[kStopwords] = static_cast<double>(stop);
  m[kDuplicateLineFraction] = static_cast<double>(lines - distinct) / nl;
  m[kTerminalPunctLineFraction] = static_cast<double>(terminal) / nl;
  m[kCurlyBraces] = static_cast<double>(braces);
  m[kDigitFraction] = cp ? static_cast<double>(digits) / static_cast<double>(cp) : 0.0;
  m[kEndsWithTerminalPunct] = !t.empty() && ref_terminal(static_cast<unsigned char>(t.back())) ? 1.0 : 0.0;
  m[kCodePoints] = static_cast<double>(cp);
  return m;
}

void expect_same(std::string_view text, TextMetricsScratch& s) {
  const TextMetrics want = reference_metrics(text);
  const TextMetrics got = compute_text_metrics(text, s);
  for (int i = 0; i < kMetricCount; ++i) ASSERT_EQ(got[i], want[i]) << text_metric_names()[i] << " of [" << text << "]";
}

TEST(TextMetricsScan, EqualsTheByteByByteDefinitionOnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  TextMetricsScratch s;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"},
           {"corpus/data_juicer/arxiv.jsonl", "text"},
           {"corpus/data_juicer/redpajama-cc-2023-06-refined.jsonl", "text"},
           {"corpus/data_juicer/stack_exchange.jsonl", "text"},
           {"corpus/data_juicer/the-pile-uspto-refined.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 2000)) {
      expect_same(t, s);
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000u);
}

TEST(TextMetricsScan, EqualsTheByteByByteDefinitionOnRandomText) {
  std::mt19937 rng(20261206);
  const std::vector<std::string> pieces = {" ",
                                           "  ",
                                           "\n",
                                           "\n\n",
                                           "\t",
                                           "\r\n",
                                           "\v",
                                           "\f",
                                           "the",
                                           "The",
                                           "THE",
                                           "be",
                                           "to",
                                           "of",
                                           "and",
                                           "that",
                                           "have",
                                           "with",
                                           "tha",
                                           "withh",
                                           "a",
                                           "t",
                                           "x",
                                           "12",
                                           "3.5",
                                           ".",
                                           "..",
                                           "...",
                                           "....",
                                           "......",
                                           "\xE2\x80\xA6",
                                           "#",
                                           "{",
                                           "}",
                                           "-",
                                           "*",
                                           "\xE2\x80\xA2",
                                           "caf\xC3\xA9",
                                           "\xC3",
                                           "\xA9",
                                           "\xFF",
                                           "!",
                                           "?",
                                           "\"",
                                           "'",
                                           "word",
                                           "longerword",
                                           "x1y2",
                                           "\\frac",
                                           "$",
                                           "=",
                                           std::string(1, '\0'),
                                           std::string(63, 'a'),
                                           std::string(64, ' '),
                                           std::string(65, '.'),
                                           std::string(70, '9')};
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1), count(0, 90);
  TextMetricsScratch s;
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    for (size_t k = count(rng); k > 0; --k) text += pieces[piece(rng)];
    expect_same(text, s);
  }
  // Around every block boundary: a word, a letterless word and a stop word ending at 63, 64, 65 ...
  for (size_t pad = 55; pad < 140; ++pad)
    for (const char* tail : {"the", "12", "a1", "...", "x\n", "\xE2\x80\xA6"}) {
      expect_same(std::string(pad, 'x') + " " + tail, s);
      expect_same(std::string(pad, '7') + tail, s);
      expect_same(std::string(pad, ' ') + tail + " ", s);
    }
}

TEST(TextMetricsScan, ComputesOnlyWhatIsNeededButAlwaysTheCounts) {
  ByteClassScan scan;
  TextMetricsScratch s;
  const std::string text = "The cat... sat with the dog.\nThe cat... sat with the dog.\n";
  scan.scan(text);
  const TextMetrics all = compute_text_metrics(scan, s, kAllTextMetrics);
  const TextMetrics few = compute_text_metrics(scan, s, 1u << kWords);
  EXPECT_EQ(few[kWords], all[kWords]);
  EXPECT_EQ(few[kCodePoints], all[kCodePoints]);
  EXPECT_EQ(all[kLines], 2);
  EXPECT_EQ(few[kLines], 0);      // not asked for, not computed
  EXPECT_EQ(all[kStopwords], 6);  // The, with, the on each line
  EXPECT_EQ(few[kStopwords], 0);
}

}  // namespace
}  // namespace caploop::corpus
