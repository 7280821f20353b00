// The keyword counter's word path (phrases stored under their first word, prefixes looked up by the first three
// bytes of each run, the (first bytes, length) filter in front of the table) must count exactly what the plain
// definition in keyword_automaton.h gives: every occurrence of every keyword, ignoring ASCII case, with a
// boundary check at an end that is a letter or digit (none at the end of a prefix keyword). Checked with the
// built-in taxonomy's 1,460 keywords on real text (MATH solutions, web, arXiv, StackExchange samples) and on
// random text made of those keywords' pieces, and with small hand-made sets that hit each path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/keyword_automaton.h"
#include "real_texts.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

using testing_reference::texts_of;

bool word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c; }

struct Reference {
  struct Entry {
    std::string text;  // folded, without the trailing '*'
    bool prefix = false;
    std::vector<uint32_t> groups;
    std::vector<double> weights;
  };
  std::vector<Entry> entries;
  uint32_t group_count = 0;

  void add(const std::string& keyword, uint32_t group, double weight = 1.0) {
    Entry e;
    e.text = keyword;
    if (e.text.size() > 1 && e.text.back() == '*') {
      e.prefix = true;
      e.text.pop_back();
    }
    for (char& c : e.text) c = static_cast<char>(lower(static_cast<unsigned char>(c)));
    for (Entry& x : entries)
      if (x.text == e.text && x.prefix == e.prefix) {
        for (uint32_t g : x.groups)
          if (g == group) return;
        x.groups.push_back(group);
        x.weights.push_back(weight);
        group_count = std::max(group_count, group + 1);
        return;
      }
    e.groups = {group};
    e.weights = {weight};
    entries.push_back(e);
    group_count = std::max(group_count, group + 1);
  }

  // Every position, every keyword, byte by byte.
  void count(std::string_view text, std::vector<uint32_t>& counts, std::vector<double>& weighted) const {
    counts.assign(group_count, 0);
    weighted.assign(group_count, 0.0);
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (const Entry& e : entries) {
      const auto* k = reinterpret_cast<const unsigned char*>(e.text.data());
      const size_t m = e.text.size();
      for (size_t i = 0; i + m <= text.size(); ++i) {
        size_t j = 0;
        while (j < m && lower(p[i + j]) == k[j]) ++j;
        if (j < m) continue;
        if (word_byte(k[0]) && i > 0 && word_byte(p[i - 1])) continue;
        if (!e.prefix && word_byte(k[m - 1]) && i + m < text.size() && word_byte(p[i + m])) continue;
        for (size_t g = 0; g < e.groups.size(); ++g) {
          ++counts[e.groups[g]];
          weighted[e.groups[g]] += e.weights[g];
        }
      }
    }
  }

  // The order the automaton documents for sums that depend on it: occurrences by where they end, the shorter first
  // (a word before "\\word" on the same run). Whole words are all the built-in fractional groups hold.
  void count_in_text_order(std::string_view text, std::vector<uint32_t>& counts, std::vector<double>& weighted) const {
    counts.assign(group_count, 0);
    weighted.assign(group_count, 0.0);
    std::vector<const Entry*> by_length;
    for (const Entry& e : entries) by_length.push_back(&e);
    std::stable_sort(by_length.begin(), by_length.end(),
                     [](const Entry* x, const Entry* y) { return x->text.size() < y->text.size(); });
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (size_t end = 1; end <= text.size(); ++end)
      for (const Entry* e : by_length) {
        const size_t m = e->text.size();
        if (m > end) continue;
        const size_t i = end - m;
        size_t j = 0;
        while (j < m && lower(p[i + j]) == static_cast<unsigned char>(e->text[j])) ++j;
        if (j < m) continue;
        if (word_byte(e->text[0]) && i > 0 && word_byte(p[i - 1])) continue;
        if (!e->prefix && word_byte(e->text[m - 1]) && end < text.size() && word_byte(p[end])) continue;
        for (size_t g = 0; g < e->groups.size(); ++g) {
          ++counts[e->groups[g]];
          weighted[e->groups[g]] += e->weights[g];
        }
      }
  }
};

// Both matchers built from the same keywords.
struct Both {
  KeywordAutomaton automaton;
  Reference reference;
  void add(const std::string& k, uint32_t g, double w = 1.0) {
    automaton.add(k, g, w);
    reference.add(k, g, w);
  }
};

void expect_same(const Both& both, std::string_view text, KeywordScratch& scratch) {
  std::vector<uint32_t> want_counts, counts(both.reference.group_count, 0);
  std::vector<double> want_weighted, weighted(both.reference.group_count, 0.0);
  both.reference.count(text, want_counts, want_weighted);
  both.automaton.count(text, scratch, counts.data(), weighted.data());
  ASSERT_EQ(counts, want_counts) << text;
  for (size_t g = 0; g < weighted.size(); ++g)  // the same additions, possibly in another order
    ASSERT_NEAR(weighted[g], want_weighted[g], 1e-9 * std::max(1.0, want_weighted[g])) << "group " << g << ": " << text;
}

// Every count and every weight sum bit for bit, against the sums in text order.
void expect_identical(const Both& both, std::string_view text, KeywordScratch& scratch) {
  std::vector<uint32_t> want_counts, counts(both.reference.group_count, 0);
  std::vector<double> want_weighted, weighted(both.reference.group_count, 0.0);
  both.reference.count_in_text_order(text, want_counts, want_weighted);
  both.automaton.count(text, scratch, counts.data(), weighted.data());
  ASSERT_EQ(counts, want_counts) << text;
  for (size_t g = 0; g < weighted.size(); ++g)
    ASSERT_EQ(std::memcmp(&weighted[g], &want_weighted[g], sizeof(double)), 0)
        << "group " << g << ": " << weighted[g] << " vs " << want_weighted[g] << " in " << text;
}

void add_builtin_keywords(Both& both) {
  const DataTaxonomy tax = builtin_data_taxonomy();
  for (size_t g = 0; g < tax.pattern_groups.size(); ++g) {
    const PatternGroup& group = tax.pattern_groups[g];
    for (size_t k = 0; k < group.keywords.size(); ++k)
      both.add(group.keywords[k], static_cast<uint32_t>(g), group.keyword_weights[k]);
  }
  both.automaton.build();
}

TEST(KeywordWordPath, BuiltinKeywordsCountAsThePlainDefinitionOnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  Both both;
  add_builtin_keywords(both);
  KeywordScratch scratch;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"},
           {"corpus/data_juicer/arxiv.jsonl", "text"},
           {"corpus/data_juicer/redpajama-cc-2023-06-refined.jsonl", "text"},
           {"corpus/data_juicer/stack_exchange.jsonl", "text"},
           {"corpus/data_juicer/the-pile-uspto-refined.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 400)) {
      expect_same(both, t, scratch);
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
}

TEST(KeywordWordPath, BuiltinKeywordsCountAsThePlainDefinitionOnRandomText) {
  Both both;
  add_builtin_keywords(both);
  // Pieces: the keywords themselves (prefixes without their '*', phrases, symbols), cut short, upper-cased, glued
  // to letters, digits, backslashes and separators, so phrases break off and prefixes run on.
  std::vector<std::string> pieces = {" ", " ", " ", "\n", "\\", "s", "ing", "X", "7", ".", "{", "-", "'", "\xC3\xA9"};
  for (const auto& e : both.reference.entries) {
    pieces.push_back(e.text);
    std::string upper = e.text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    pieces.push_back(upper);
    if (e.text.size() > 2) pieces.push_back(e.text.substr(0, e.text.size() - 1));
  }
  std::mt19937 rng(14);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1), count(0, 60);
  KeywordScratch scratch;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (size_t k = count(rng); k > 0; --k) text += pieces[piece(rng)];
    expect_same(both, text, scratch);
  }
}

TEST(KeywordWordPath, PhrasesPrefixesAndSymbolsOnEachPath) {
  Both both;
  both.add("in this paper", 0);
  both.add("in", 1);
  both.add("in fact", 0);
  both.add("i'm", 2);
  both.add("console.log", 3);
  both.add("this.", 3);
  both.add("\\begin{equation", 4);
  both.add("\\begin", 5);
  both.add("partial sum*", 6);
  both.add("subtract*", 7);
  both.add("sub*", 7);
  both.add("su*", 8);  // shorter than the three bytes of the buckets
  both.add("x*", 8);
  both.add("<div", 9);
  both.add("(applause)", 9);
  both.add("phrase with fraction", 10, 0.25);  // a fractional group: kept with Hyperscan
  both.add("fraction", 10, 0.5);
  both.automaton.build();
  KeywordScratch scratch;
  for (const char* text :
       {"In this paper, in fact IN THIS PAPERS in this paper2 in  this paper", "I'm i'M I'mm xi'm",
        "console.log(this.x); Console.Log console.logger this.",
        "\\begin{equation} \\begin{equations} a\\begin{equation", "\\BEGIN{Equation",
        "partial sums, partial sum, partial  sum, Partial Summation, partial su",
        "subtracting Subtract sub s su SUBTRACT xylophone x 9x", "<div><DIV>(applause)(Applause) (applause",
        "a phrase with fraction, fraction, Phrase With Fractions", "", "in", "sub", "x", "in this pape"})
    expect_same(both, text, scratch);
  for (size_t pad = 50; pad < 140; ++pad)  // around the 64-byte blocks and the end of the text
    for (const char* tail : {"in this paper", "subtracted", "console.log", "\\begin{equation", "i'm", "su"}) {
      expect_same(both, std::string(pad, ' ') + tail, scratch);
      expect_same(both, std::string(pad, 'y') + " " + tail + " ", scratch);
    }
}

}  // namespace
}  // namespace caploop::corpus

namespace caploop::corpus {
namespace {

// Whole-word hits of groups with fractional weights are summed after the loop over the runs, from rows replayed in
// text order: the sums must be those of adding each weight where it is found, to the bit (the mathematics-subfield
// rules of the built-in taxonomy: 7 such groups, most of their words short and common).
TEST(KeywordWordPath, FractionalSumsAreBitIdenticalToTextOrderOnRealText) {
  REQUIRE_SHARED_DATA();
  const auto data = testing::shared_data_dir();
  Both both;
  add_builtin_keywords(both);
  KeywordScratch scratch;
  size_t checked = 0;
  for (const auto& [file, field] : std::vector<std::pair<std::string, std::string>>{
           {"math/math_full_test/test.jsonl", "solution"}, {"corpus/data_juicer/arxiv.jsonl", "text"}}) {
    for (const std::string& t : texts_of(data / file, field, 150)) {
      expect_identical(both, t, scratch);
      ++checked;
    }
  }
  EXPECT_GT(checked, 150u);
}

// More than 8 fractional groups (the general replay), words after backslashes, texts long enough to fill the
// sequence of hits several times, weights whose sums round differently in another order.
TEST(KeywordWordPath, FractionalSumsAreBitIdenticalToTextOrderOnRandomText) {
  Both both;
  const std::vector<std::string> words = {"in",    "it",      "x",   "for", "gcd",
                                          "\\gcd", "integer", "sum", "a1",  "longerword12"};
  std::mt19937 rng(1414);
  std::uniform_real_distribution<double> weight(-1.0, 1.0);
  for (uint32_t g = 0; g < 11; ++g)
    for (size_t w = 0; w < words.size(); ++w)
      if ((g + w) % 3 != 0) both.add(words[w], g, weight(rng) * std::pow(10.0, static_cast<int>(w % 5) - 2));
  both.add("integer", 11, 2.0);  // a group with integer weights next to them
  both.add("sum*", 11, 3.0);
  both.automaton.build();
  std::vector<std::string> pieces = {" ", " ", "\n", "\\", ".", "y", "7"};
  for (const std::string& w : words) {
    pieces.push_back(w);
    std::string upper = w;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    pieces.push_back(upper);
  }
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1), count(0, 4000);
  KeywordScratch scratch;
  for (int round = 0; round < 60; ++round) {
    std::string text;
    for (size_t k = count(rng); k > 0; --k) text += pieces[piece(rng)];
    expect_identical(both, text, scratch);
  }
}

}  // namespace
}  // namespace caploop::corpus

namespace caploop::corpus {
namespace {

// Runs of digits are skipped when no keyword is all digits; with such keywords (a word, a phrase's first word, a
// prefix, after a backslash) they are looked up as any run.
TEST(KeywordWordPath, DigitKeywordsStillCount) {
  for (int with_digits = 0; with_digits < 2; ++with_digits) {
    Both both;
    both.add("x2", 0);
    both.add("in", 1, 0.5);
    if (with_digits) {
      both.add("2024", 2);
      both.add("911 call", 3);
      both.add("42*", 4);
      both.add("\\7", 5);
    }
    both.automaton.build();
    KeywordScratch scratch;
    for (const char* text : {"in 2024, x2 2024 12024 2024x 911 call 911 caller 42 4242 \\7 7 \\77 in", "2024", "42",
                             "x2", "\\7", "911 call"})
      expect_same(both, text, scratch);
    for (size_t pad = 50; pad < 80; ++pad) expect_same(both, std::string(pad, ' ') + "2024 x2 42 \\7", scratch);
  }
}

}  // namespace
}  // namespace caploop::corpus
