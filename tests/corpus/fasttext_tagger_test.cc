// The fastText tagger: a small model trained here (with the `fasttext` program of Debian's fasttext package)
// from real labelled text tags held-out text of the same kinds correctly.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "corpus/data_taxonomy.h"
#include "corpus/document_tagger.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

namespace fs = std::filesystem;
using caploop::testing::read_file;
using caploop::testing::shared_data_dir;
using caploop::testing::TempDir;
using caploop::testing::write_file;

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

// Text blocks of `n` non-blank lines.
std::vector<std::string> blocks(const std::string& text, int n) {
  std::istringstream in(text);
  std::vector<std::string> out;
  std::string line, cur;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" ") == std::string::npos) continue;
    cur += line + "\n";
    if (++count == n) {
      out.push_back(cur);
      cur.clear();
      count = 0;
    }
  }
  return out;
}

TEST(FastTextTagger, ModelTrainedOnRealTextTagsHeldOutText) {
  REQUIRE_SHARED_DATA();
  if (std::system("command -v fasttext > /dev/null 2>&1") != 0) GTEST_SKIP() << "fasttext program not installed";
  TempDir tmp;
  // Real labelled text: MATH solutions, Shakespeare, WikiText articles. Even items train, odd items test.
  std::vector<std::pair<std::string, std::string>> docs;  // label, text
  {
    std::ifstream in(shared_data_dir() / "math/math_full_test/test.jsonl");
    std::string line;
    simdjson::dom::parser parser;
    for (int i = 0; std::getline(in, line) && i < 800; ++i)
      docs.emplace_back("math", std::string(std::string_view(parser.parse(line)["solution"])));
  }
  for (auto& b : blocks(read_file(shared_data_dir() / "corpus/tinyshakespeare/input.txt"), 12))
    if (docs.size() < 1600) docs.emplace_back("plays", b);
  for (auto& b : blocks(read_file(shared_data_dir() / "corpus/wikitext-2/valid.txt"), 3))
    if (docs.size() < 2400) docs.emplace_back("wiki", b);
  std::string train;
  for (size_t i = 0; i < docs.size(); i += 2)
    train += "__label__" + docs[i].first + " " + one_line(docs[i].second) + "\n";
  write_file(tmp / "train.txt", train);
  std::string cmd = "fasttext supervised -input " + (tmp / "train.txt").string() + " -output " +
                    (tmp / "model").string() + " -epoch 10 -thread 1 -verbose 0 > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

  write_file(tmp / "taxonomy.toml",
             "[taxonomy]\nname = \"ft\"\nversion = 1\n"
             "[[axes]]\nname = \"source\"\nexclusive = true\ntags = [\"math_problems\", \"books\", \"encyclopedia\"]\n"
             "[[fasttext]]\nname = \"source_classifier\"\nmodel = \"model.bin\"\nmin_score = 0.5\n"
             "labels = { \"__label__math\" = \"source.math_problems\", \"__label__plays\" = \"source.books\", "
             "\"__label__wiki\" = \"source.encyclopedia\" }\n");
  auto tax = std::make_shared<const DataTaxonomy>(load_data_taxonomy(tmp / "taxonomy.toml"));
  DocumentTagger tagger(tax);
  TagScratch scratch;
  const std::map<std::string, std::string> expected = {
      {"math", "math_problems"}, {"plays", "books"}, {"wiki", "encyclopedia"}};
  std::map<std::string, std::pair<int, int>> per_label;  // correct, total
  for (size_t i = 1; i < docs.size(); i += 2) {
    auto hits = tagger.tag({docs[i].second, "", nullptr}, scratch);
    auto& [correct, total] = per_label[docs[i].first];
    ++total;
    if (!hits.empty() && tax->axes[0].tags[hits[0].tag.tag] == expected.at(docs[i].first)) ++correct;
  }
  for (const auto& [label, counts] : per_label) {
    double accuracy = double(counts.first) / counts.second;
    std::printf("fastText held-out %-6s %d/%d = %.3f\n", label.c_str(), counts.first, counts.second, accuracy);
    EXPECT_GE(accuracy, 0.9) << label;
    EXPECT_GE(counts.second, 300) << label;
  }
}

TEST(FastTextTagger, MissingModelIsReportedWithItsPath) {
  TempDir tmp;
  write_file(tmp / "taxonomy.toml",
             "[taxonomy]\nname = \"ft\"\nversion = 1\n[[axes]]\nname = \"source\"\ntags = [\"a\"]\n"
             "[[fasttext]]\nname = \"c\"\nmodel = \"nope.bin\"\nlabels = { \"__label__a\" = \"source.a\" }\n");
  auto tax = std::make_shared<const DataTaxonomy>(load_data_taxonomy(tmp / "taxonomy.toml"));
  try {
    DocumentTagger tagger(tax);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(e.where().file.find("nope.bin"), std::string::npos);
  }
}

}  // namespace
}  // namespace caploop::corpus
