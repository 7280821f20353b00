// The repetition flag of classify_ending() against its plain definition (eval/ending.cc: the tail's last 2,000
// bytes after trailing white space; periodic with a unit of 1..100 bytes repeated 6 times over 60 bytes, or fewer
// than 30 % distinct word 5-grams among at least 60), computed here the slow way: every word hashed, every n-gram
// counted, the distinct ones sorted. The scan in ending.cc delimits words first and hashes them only as far as
// the outcome needs; this holds it to the definition on real model outputs and on random word streams built to
// sit near the 30 % line.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/fnv1a.h"
#include "eval/ending.h"
#include "test_support.h"

namespace caploop {
namespace {

bool plain_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

bool plain_repetitive(std::string_view text) {
  while (!text.empty() && plain_space(text.back())) text.remove_suffix(1);
  std::string_view tail = text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  const size_t n = tail.size();
  for (size_t unit = 1; unit <= 100 && unit * 6 <= n; ++unit) {
    size_t i = n;
    while (i > unit && tail[i - 1] == tail[i - 1 - unit]) --i;
    size_t span = n - i + unit;
    if (span >= 60 && span >= 6 * unit) return true;
  }
  std::vector<uint64_t> words;
  for (size_t i = 0; i < n;) {
    while (i < n && plain_space(tail[i])) ++i;
    if (i == n) break;
    size_t start = i;
    while (i < n && !plain_space(tail[i])) ++i;
    words.push_back(fnv1a64(tail.substr(start, i - start)));
  }
  if (words.size() < 5 + 60 - 1) return false;
  std::vector<uint64_t> grams;
  for (size_t w = 0; w + 5 <= words.size(); ++w) {
    uint64_t h = kFnv1aOffset;
    for (size_t k = 0; k < 5; ++k) h = (h ^ words[w + k]) * kFnv1aPrime;
    grams.push_back(h);
  }
  const double limit = 0.3 * static_cast<double>(grams.size());
  std::sort(grams.begin(), grams.end());
  size_t distinct = static_cast<size_t>(std::unique(grams.begin(), grams.end()) - grams.begin());
  return static_cast<double>(distinct) < limit;
}

bool flagged(std::string_view text) {
  EndingInput in;
  in.text = text;
  return classify_ending(in, Extraction{}).repetitive;
}

TEST(EndingRepetitionScanTest, RandomWordStreamsAroundTheLine) {
  std::mt19937_64 rng(20261206);
  const char* spaces[] = {" ", " ", " ", "\n", "\t", "  ", "\r\n", "\f", "\v"};
  size_t cases = 0, positives = 0;
  for (int round = 0; round < 6000; ++round) {
    // A vocabulary of v words; a stream of w words drawn from it, sometimes with a repeated run spliced in.
    size_t v = 1 + rng() % 60;
    size_t w = 40 + rng() % 500;
    std::vector<std::string> vocab;
    for (size_t i = 0; i < v; ++i) {
      std::string word;
      size_t len = 1 + rng() % 9;
      for (size_t k = 0; k < len; ++k) word += static_cast<char>(rng() % 3 == 0 ? 'a' + rng() % 3 : 33 + rng() % 94);
      vocab.push_back(word);
    }
    std::string text;
    if (rng() % 4 == 0) text += spaces[rng() % 9];
    std::vector<size_t> cycle;
    for (size_t i = 0; i < 1 + rng() % 12; ++i) cycle.push_back(rng() % v);
    bool cyclic = rng() % 2 == 0;
    for (size_t i = 0; i < w; ++i) {
      size_t pick = cyclic && rng() % 10 != 0 ? cycle[i % cycle.size()] : rng() % v;
      text += vocab[pick];
      text += spaces[rng() % 9];
    }
    if (rng() % 3 == 0) text += std::string(rng() % 5, ' ');
    bool expected = plain_repetitive(text);
    ASSERT_EQ(flagged(text), expected) << "round " << round << ": " << text;
    ++cases;
    positives += expected;
  }
  // Both outcomes are exercised in quantity.
  EXPECT_GT(positives, cases / 10);
  EXPECT_LT(positives, cases * 9 / 10);
}

TEST(EndingRepetitionScanTest, RealOutputsAndLoopsMadeOfThem) {
  REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  fs::path p = caploop::testing::shared_data_dir() / "model_outputs/qwen25math_math_cot_100/math_cot_100.jsonl";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(p.string()).value();
  simdjson::ondemand::document_stream docs = parser.iterate_many(json).value();
  size_t responses = 0, positives = 0;
  for (auto doc : docs) {
    simdjson::ondemand::array code = doc["code"].get_array().value();
    for (auto r : code) {
      std::string text(r.get_string().value());
      // The response, its second half looped (as a model stuck in a loop writes), and a tail cut mid-word.
      std::string looped = text.substr(0, text.size() / 2);
      std::string unit = text.substr(text.size() / 2, std::min<size_t>(300, text.size() / 3)) + " ";
      while (looped.size() < text.size() / 2 + 2500 && unit.size() > 1) looped += unit;
      for (const std::string& t : {text, looped, looped.substr(0, looped.size() - looped.size() / 7)}) {
        bool expected = plain_repetitive(t);
        ASSERT_EQ(flagged(t), expected) << t;
        ++responses;
        positives += expected;
      }
    }
  }
  EXPECT_GT(responses, 500u);
  EXPECT_GT(positives, 0u);
}

}  // namespace
}  // namespace caploop
