// Token counts with a real tokenizer: a small sentencepiece model trained here (spm_train) on WikiText-2 counts
// the tokens of other WikiText-2 paragraphs exactly as spm_encode does, `corpus tag --tokenizer` records the
// tokenizer in its statistics, and statistics of different tokenizers refuse to merge.
#include "corpus/token_counter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json_writer.h"
#include "corpus/corpus_stats.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

namespace fs = std::filesystem;
using caploop::testing::read_file;
using caploop::testing::run_caploop;
using caploop::testing::shared_data_dir;
using caploop::testing::TempDir;
using caploop::testing::write_file;

constexpr const char* kSpmTrain = "/usr/bin/spm_train";
constexpr const char* kSpmEncode = "/usr/bin/spm_encode";

// Non-heading WikiText paragraphs (one line each, so spm_encode sees each as one input).
std::vector<std::string> paragraphs(const fs::path& file, size_t n, size_t skip = 0) {
  std::istringstream in(read_file(file));
  std::vector<std::string> out;
  std::string line;
  while (out.size() < n && std::getline(in, line)) {
    if (line.size() < 200 || line.find(" = ") == 1) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    out.push_back(line);
  }
  return out;
}

class SentencePieceTokens : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_SHARED_DATA();
    if (!fs::exists(kSpmTrain) || !fs::exists(kSpmEncode)) GTEST_SKIP() << "spm_train / spm_encode not installed";
    std::string train_text;
    for (const auto& p : paragraphs(shared_data_dir() / "corpus/wikitext-2/valid.txt", 600)) train_text += p + "\n";
    write_file(tmp_ / "train.txt", train_text);
    std::string cmd = std::string(kSpmTrain) + " --input=" + (tmp_ / "train.txt").string() +
                      " --model_prefix=" + (tmp_ / "tiny").string() +
                      " --vocab_size=800 --model_type=unigram --character_coverage=1.0 --minloglevel=2 >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    model_ = tmp_ / "tiny.model";
    docs_ = paragraphs(shared_data_dir() / "corpus/wikitext-2/test.txt", 6);
    ASSERT_EQ(docs_.size(), 6u);
  }

  // spm_encode's token count for each line of `docs`.
  std::vector<uint64_t> spm_encode_counts() {
    std::string text;
    for (const auto& d : docs_) text += d + "\n";
    write_file(tmp_ / "docs.txt", text);
    std::string cmd = std::string(kSpmEncode) + " --model=" + model_.string() + " --output_format=id < " +
                      (tmp_ / "docs.txt").string() + " > " + (tmp_ / "ids.txt").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::istringstream in(read_file(tmp_ / "ids.txt"));
    std::vector<uint64_t> counts;
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ids(line);
      uint64_t n = 0;
      std::string id;
      while (ids >> id) ++n;
      counts.push_back(n);
    }
    return counts;
  }

  TempDir tmp_;
  fs::path model_;
  std::vector<std::string> docs_;
};

TEST_F(SentencePieceTokens, CountsEqualSpmEncode) {
  TokenCounter counter(model_);
  std::vector<uint64_t> expected = spm_encode_counts();
  ASSERT_EQ(expected.size(), docs_.size());
  for (size_t i = 0; i < docs_.size(); ++i) {
    EXPECT_EQ(counter.count(docs_[i]), expected[i]) << docs_[i].substr(0, 80);
    EXPECT_GT(expected[i], 20u);
  }
  EXPECT_EQ(counter.id().rfind("sentencepiece:tiny.model@", 0), 0u) << counter.id();
  EXPECT_EQ(counter.id().size(), std::string("sentencepiece:tiny.model@").size() + 16);
  TokenCounter estimate;
  EXPECT_EQ(estimate.id(), "estimate:bytes/4");
  EXPECT_EQ(estimate.count("12345"), 2u);
}

TEST_F(SentencePieceTokens, CorpusTagRecordsTheTokenizerAndRefusesToMergeOthers) {
  std::string jsonl;
  for (size_t i = 0; i < docs_.size(); ++i)
    jsonl += "{\"id\":\"w" + std::to_string(i) + "\",\"text\":" + json_string_literal(docs_[i]) + "}\n";
  fs::create_directories(tmp_ / "in");
  write_file(tmp_ / "in/wiki.jsonl", jsonl);
  auto r = run_caploop({"-q", "corpus", "tag", "--tokenizer", model_.string(), "--out", (tmp_ / "spm").string(),
                        (tmp_ / "in/wiki.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = run_caploop({"corpus", "stats", (tmp_ / "spm").string(), "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  CorpusStats stats = parse_corpus_stats(s.out, "stdout");
  uint64_t total = 0;
  for (uint64_t n : spm_encode_counts()) total += n;
  EXPECT_EQ(stats.total.docs, docs_.size());
  EXPECT_EQ(stats.total.tokens, total);
  EXPECT_EQ(stats.tokenizer, TokenCounter(model_).id());

  auto e =
      run_caploop({"-q", "corpus", "tag", "--out", (tmp_ / "estimate").string(), (tmp_ / "in/wiki.jsonl").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto both = run_caploop({"corpus", "stats", (tmp_ / "spm").string(), (tmp_ / "estimate").string()});
  EXPECT_EQ(both.exit_code, 5) << both.out << both.err;  // kConflict
  EXPECT_NE(both.err.find("tokenizer"), std::string::npos) << both.err;

  CorpusStats a = stats, b = stats;
  b.tokenizer = std::string(kEstimateTokenizer);
  try {
    a.merge(b);
    ADD_FAILURE() << "merged statistics of two tokenizers";
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), ErrorKind::kConflict);
  }
}

TEST(TokenCounter, MissingOrInvalidModelFailsNamingTheFile) {
  TempDir tmp;
  try {
    TokenCounter c(tmp / "none.model");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(e.where().file.find("none.model"), std::string::npos);
  }
  write_file(tmp / "bad.model", "not a model");
  try {
    TokenCounter c(tmp / "bad.model");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.where().file.find("bad.model"), std::string::npos);
  }
}

}  // namespace
}  // namespace caploop::corpus
