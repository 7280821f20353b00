// The built-in rules on real, independently labelled text: MATH and GSM8K solutions and arXiv LaTeX are
// science/math, Shakespeare is literature (labels come from where the text was published, not from caploop),
// and MATH's own `type` field is the reference for the mathematics subfield.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "corpus/data_taxonomy.h"
#include "corpus/document_tagger.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

using caploop::testing::read_file;
using caploop::testing::shared_data_dir;

struct Labelled {
  std::string text;
  std::string label;
};

std::vector<std::string> jsonl_field(const std::filesystem::path& p, const std::string& field,
                                     std::vector<std::string>* second = nullptr, const std::string& field2 = "") {
  std::vector<std::string> out;
  std::ifstream in(p);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element doc = parser.parse(line);
    out.emplace_back(std::string_view(doc[field]));
    if (second) second->emplace_back(std::string_view(doc[field2]));
  }
  return out;
}

// Shakespeare split into chunks of about 40 non-blank lines, cut at blank lines (between speeches).
std::vector<std::string> shakespeare_chunks() {
  std::istringstream in(read_file(shared_data_dir() / "corpus/tinyshakespeare/input.txt"));
  std::vector<std::string> chunks;
  std::string line, cur;
  int lines = 0;
  while (std::getline(in, line)) {
    if (line.empty() && lines >= 40) {
      chunks.push_back(cur);
      cur.clear();
      lines = 0;
      continue;
    }
    cur += line + "\n";
    if (!line.empty()) ++lines;
  }
  if (lines > 0) chunks.push_back(cur);
  return chunks;
}

struct Scores {
  std::map<std::string, int> tp, fp, fn;
  double precision(const std::string& c) { return tp[c] ? double(tp[c]) / (tp[c] + fp[c]) : 0.0; }
  double recall(const std::string& c) { return tp[c] ? double(tp[c]) / (tp[c] + fn[c]) : 0.0; }
  void add(const std::string& truth, const std::string& predicted) {
    if (truth == predicted) ++tp[truth];
    else {
      ++fn[truth];
      ++fp[predicted];
    }
  }
};

std::string tag_on_axis(const DocumentTagger& tagger, const std::vector<TagHit>& hits, const std::string& axis) {
  for (const auto& h : hits)
    if (tagger.taxonomy().axes[h.tag.axis].name == axis) return tagger.taxonomy().axes[h.tag.axis].tags[h.tag.tag];
  return "none";
}

TEST(TaggingAccuracy, TopicOfLabelledRealText) {
  REQUIRE_SHARED_DATA();
  auto tax = std::make_shared<const DataTaxonomy>(builtin_data_taxonomy());
  DocumentTagger tagger(tax);
  TagScratch scratch;
  std::vector<Labelled> docs;
  for (auto& s : jsonl_field(shared_data_dir() / "math/math_full_test/test.jsonl", "solution"))
    docs.push_back({s, "science_math_technology"});
  for (auto& s : jsonl_field(shared_data_dir() / "gsm8k/test.jsonl", "answer")) docs.push_back({s, "science_math_technology"});
  for (auto& s : jsonl_field(shared_data_dir() / "corpus/data_juicer/arxiv.jsonl", "text"))
    docs.push_back({s, "science_math_technology"});
  for (auto& s : shakespeare_chunks()) docs.push_back({s, "literature"});
  Scores topic;
  int math_capability = 0, math_docs = 0;
  for (const auto& d : docs) {
    auto hits = tagger.tag({d.text, "", nullptr}, scratch);
    topic.add(d.label, tag_on_axis(tagger, hits, "topic"));
    bool is_math = false;
    for (const auto& h : hits) is_math |= tax->attribute_name(h.tag) == "capability__math";
    if (d.label != "literature") {
      ++math_docs;
      math_capability += is_math;
    } else {
      EXPECT_FALSE(is_math) << d.text.substr(0, 200);
    }
  }
  for (const char* c : {"science_math_technology", "literature"}) {
    RecordProperty(std::string(c) + "_precision", std::to_string(topic.precision(c)));
    RecordProperty(std::string(c) + "_recall", std::to_string(topic.recall(c)));
    EXPECT_GE(topic.precision(c), 0.9) << c;
    EXPECT_GE(topic.recall(c), 0.9) << c;
    std::printf("topic %-24s precision %.3f recall %.3f\n", c, topic.precision(c), topic.recall(c));
  }
  EXPECT_GE(double(math_capability) / math_docs, 0.9);
  std::printf("capability.math on math/arXiv text: %.3f\n", double(math_capability) / math_docs);
}

TEST(TaggingAccuracy, MathSubfieldAgainstMathType) {
  REQUIRE_SHARED_DATA();
  auto tax = std::make_shared<const DataTaxonomy>(builtin_data_taxonomy());
  DocumentTagger tagger(tax);
  TagScratch scratch;
  std::vector<std::string> types;
  auto solutions = jsonl_field(shared_data_dir() / "math/math_full_test/test.jsonl", "solution", &types, "type");
  const std::map<std::string, std::string> reference = {
      {"Algebra", "algebra"}, {"Intermediate Algebra", "intermediate_algebra"}, {"Prealgebra", "prealgebra"},
      {"Precalculus", "precalculus"}, {"Number Theory", "number_theory"}, {"Geometry", "geometry"},
      {"Counting & Probability", "counting_probability"}};
  Scores s;
  int correct = 0;
  for (size_t i = 0; i < solutions.size(); ++i) {
    auto hits = tagger.tag({solutions[i], "", nullptr}, scratch);
    std::string truth = reference.at(types[i]), predicted = tag_on_axis(tagger, hits, "math_subfield");
    s.add(truth, predicted);
    correct += truth == predicted;
  }
  double accuracy = double(correct) / solutions.size();
  std::printf("math subfield accuracy %.3f over %zu MATH solutions\n", accuracy, solutions.size());
  for (const auto& [type, c] : reference)
    std::printf("  %-22s precision %.3f recall %.3f\n", c.c_str(), s.precision(c), s.recall(c));
  // Keyword rules separate the distinctive subjects; Prealgebra / Algebra / Intermediate Algebra overlap in
  // vocabulary (see docs/corpus.md). Chance level for 7 classes is 0.24 (largest class share).
  EXPECT_GE(accuracy, 0.55);
  for (const char* c : {"number_theory", "counting_probability", "precalculus", "geometry"}) EXPECT_GE(s.recall(c), 0.6) << c;
}

}  // namespace
}  // namespace caploop::corpus
