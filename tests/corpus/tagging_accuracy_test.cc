// The built-in rules on real, independently labelled text: MATH and GSM8K solutions and arXiv LaTeX are
// science/math, Shakespeare is literature (labels come from where the text was published, not from caploop),
// and MATH's own `type` field is the reference for the mathematics subfield.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
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
    if (truth == predicted)
      ++tp[truth];
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
  for (auto& s : jsonl_field(shared_data_dir() / "gsm8k/test.jsonl", "answer"))
    docs.push_back({s, "science_math_technology"});
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

// MATH items as a pre-training document shows them: problem, then worked solution.
struct MathItem {
  std::string text;
  std::string subfield;
  int64_t idx = -1;
  std::string problem;
};

std::vector<MathItem> math_items(const std::filesystem::path& p, const std::string& type_field) {
  static const std::map<std::string, std::string> reference = {{"Algebra", "algebra"},
                                                               {"Intermediate Algebra", "intermediate_algebra"},
                                                               {"Prealgebra", "prealgebra"},
                                                               {"Precalculus", "precalculus"},
                                                               {"Number Theory", "number_theory"},
                                                               {"Geometry", "geometry"},
                                                               {"Counting & Probability", "counting_probability"}};
  std::vector<MathItem> out;
  std::ifstream in(p);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element doc = parser.parse(line);
    MathItem item;
    item.problem = std::string(std::string_view(doc["problem"]));
    item.text = item.problem + "\n\n" + std::string(std::string_view(doc["solution"]));
    item.subfield = reference.at(std::string(std::string_view(doc[type_field])));
    int64_t idx = 0;
    if (!doc["idx"].get(idx)) item.idx = idx;
    out.push_back(std::move(item));
  }
  return out;
}

// Tags `items` and prints accuracy and per-subfield precision / recall; returns the scores.
Scores subfield_scores(const DocumentTagger& tagger, const std::vector<const MathItem*>& items, const char* name,
                       double* accuracy) {
  TagScratch scratch;
  Scores s;
  int correct = 0;
  for (const MathItem* item : items) {
    auto hits = tagger.tag({item->text, "", nullptr}, scratch);
    std::string predicted = tag_on_axis(tagger, hits, "math_subfield");
    s.add(item->subfield, predicted);
    correct += predicted == item->subfield;
  }
  *accuracy = double(correct) / items.size();
  std::printf("math subfield on %s: accuracy %.3f over %zu items\n", name, *accuracy, items.size());
  for (const char* c : {"algebra", "counting_probability", "geometry", "intermediate_algebra", "number_theory",
                        "prealgebra", "precalculus"})
    std::printf("  %-22s precision %.3f recall %.3f\n", c, s.precision(c), s.recall(c));
  return s;
}

// The math_subfield keyword weights were fitted (scripts/fit_math_subfield.py) on the MATH items with an even
// idx only; the assertions are on the items the fit never saw: odd idx, and MATH-500 problems not among the
// even ones (MATH-500 is a subset of the MATH test set).
TEST(TaggingAccuracy, MathSubfieldAgainstMathTypeOnHeldOutItems) {
  REQUIRE_SHARED_DATA();
  auto tax = std::make_shared<const DataTaxonomy>(builtin_data_taxonomy());
  DocumentTagger tagger(tax);
  std::vector<MathItem> full = math_items(shared_data_dir() / "math/math_full_test/test.jsonl", "type");
  std::vector<MathItem> m500 = math_items(shared_data_dir() / "math/math500/test.jsonl", "subject");
  std::set<std::string> fitted_problems;
  std::vector<const MathItem*> odd, m500_held_out;
  for (const auto& item : full) {
    ASSERT_GE(item.idx, 0);
    if (item.idx % 2 == 0)
      fitted_problems.insert(item.problem);
    else
      odd.push_back(&item);
  }
  for (const auto& item : m500)
    if (!fitted_problems.count(item.problem)) m500_held_out.push_back(&item);
  ASSERT_EQ(odd.size(), 2500u);
  ASSERT_GT(m500_held_out.size(), 200u);
  double odd_accuracy = 0, m500_accuracy = 0;
  Scores s = subfield_scores(tagger, odd, "MATH, odd idx (held out)", &odd_accuracy);
  subfield_scores(tagger, m500_held_out, "MATH-500, not in the fitted half", &m500_accuracy);
  // Measured 0.70 and 0.69 (docs/corpus.md); chance is 0.24 (largest class). Not the 0.9: bag-of-words
  // linear models do not separate Prealgebra / Algebra / Intermediate Algebra (a full-vocabulary logistic
  // regression reaches 0.72 on the same split).
  EXPECT_GE(odd_accuracy, 0.67);
  EXPECT_GE(m500_accuracy, 0.62);
  for (const char* c : {"algebra", "counting_probability", "geometry", "intermediate_algebra", "number_theory",
                        "prealgebra", "precalculus"}) {
    EXPECT_GE(s.precision(c), 0.5) << c;
    EXPECT_GE(s.recall(c), 0.5) << c;
  }
  EXPECT_GE(s.recall("precalculus"), 0.8);
}

}  // namespace
}  // namespace caploop::corpus
