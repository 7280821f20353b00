// The parts of the diagnosis checked against hand-computed values: the paired difference (McNemar exact p,
// Agresti-Min interval), the loss decomposition and recovery shares, and the JSON / Markdown forms.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <numeric>

#include "diagnose/diagnosis_json.h"
#include "diagnose/diagnosis_markdown.h"
#include "diagnose/loss_decomposition.h"
#include "diagnose/paired_difference.h"
#include "diagnose/verdict.h"
#include "synthetic_runs.h"

namespace caploop {
namespace {

PairedItem binary_item(int base, int cand) {
  PairedItem it;
  it.key = "t:x";
  it.base_correct = base;
  it.cand_correct = cand;
  return it;
}

TEST(PairedDifference, McNemarAndAgrestiMinIntervalMatchHandValues) {
  // b = 10 lost, c = 20 gained, 70 unchanged. p = 2 P(Bin(30, 1/2) <= 10) = 0.0987371467;
  // Agresti-Min: (20.5 - 10.5) / 102 +- 1.96 sqrt((31 - 100/102) / 102^2) = [-0.0072419, 0.2033203].
  std::vector<PairedItem> items;
  for (int i = 0; i < 10; ++i) items.push_back(binary_item(1, 0));
  for (int i = 0; i < 20; ++i) items.push_back(binary_item(0, 1));
  for (int i = 0; i < 70; ++i) items.push_back(binary_item(i % 2, i % 2));
  std::vector<uint32_t> all(items.size());
  std::iota(all.begin(), all.end(), 0u);
  const PairedDifference d = paired_difference(items, all, true, 0.95);
  EXPECT_EQ(d.lost, 10);
  EXPECT_EQ(d.gained, 20);
  EXPECT_DOUBLE_EQ(d.delta, 0.1);
  EXPECT_NEAR(d.p_value, 0.0987371467, 1e-9);
  EXPECT_NEAR(d.ci.lower, -0.0072419, 1e-6);
  EXPECT_NEAR(d.ci.upper, 0.2033203, 1e-6);
  EXPECT_NEAR(d.standard_error, 0.0537158, 1e-6);
  EXPECT_EQ(d.test, "mcnemar_exact");
}

TEST(LossDecomposition, ClassesLostItemsByEndingAndMeasuresRecovery) {
  DiagnosisInput input;
  // 4 lost items: termination (first rule recovers), no_answer (lenient recovers), two normal (none).
  PairedItem a = binary_item(1, 0);
  a.cand_abnormal = 1;
  a.cand_correct_first = 1;
  PairedItem b = binary_item(1, 0);
  b.cand_abnormal = 1;
  b.cand_no_answer = 1;
  b.cand_correct_lenient = 1;
  PairedItem c = binary_item(1, 0);
  PairedItem e = binary_item(1, 0);
  PairedItem g = binary_item(0, 1);  // gained
  g.cand_correct_lenient = g.cand_correct_first = 1;
  PairedItem s = binary_item(1, 1);
  s.cand_correct_lenient = s.cand_correct_first = 1;
  s.base_abnormal = 1;
  input.items = {a, b, c, e, g, s};
  const LossDecomposition l = decompose_loss(input);
  EXPECT_EQ(l.items_lost, 4);
  EXPECT_EQ(l.items_gained, 1);
  EXPECT_EQ(l.lost_termination, 1);
  EXPECT_EQ(l.lost_no_answer, 1);
  EXPECT_EQ(l.lost_normal, 2);
  EXPECT_DOUBLE_EQ(l.abnormal_lost_share, 0.5);
  EXPECT_DOUBLE_EQ(l.recovered_share_first, 0.25);
  EXPECT_DOUBLE_EQ(l.recovered_share_lenient, 0.25);
  EXPECT_DOUBLE_EQ(l.recovered_share_either, 0.5);
  EXPECT_DOUBLE_EQ(l.base_abnormal_rate, 1.0 / 6.0);
  EXPECT_DOUBLE_EQ(l.cand_abnormal_rate, 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(l.cand_termination_rate, 1.0 / 6.0);
  EXPECT_DOUBLE_EQ(l.accuracy_lost, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(l.accuracy_lost_normal, 2.0 / 6.0);
}

TEST(DiagnosisOutput, JsonHasTheFieldsOutsideChecksRelyOnAndMarkdownEscapesText) {
  DiagnosisInput input = testing::make_identical_runs(1000, 5, 0.7, 11);
  input.candidate.name = "cand|<script>";
  testing::for_items(
      input, [](size_t i, const PairedItem& it) { return i % 5 == 0 && it.base_correct == 1; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 0; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  ASSERT_EQ(d.verdict, Verdict::kDataRuledIn);
  JsonWriter w;
  write_diagnosis_json(w, d);
  simdjson::padded_string json(w.str());
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc = parser.iterate(json);
  EXPECT_EQ(std::string_view(doc["verdict"]), "data_ruled_in");
  EXPECT_TRUE(bool(doc["cause"].is_null()));
  size_t slices = 0;
  for (simdjson::ondemand::object s : doc["slices"].get_array()) {
    ++slices;
    EXPECT_GT(int64_t(s["n"]), 0);
    EXPECT_LT(double(s["delta"]), 0.0);
    EXPECT_LE(double(s["q_value"]), 0.05);
    size_t bounds = 0;
    for (double v : s["ci"].get_array()) bounds += (v >= -1.0 && v <= 1.0);
    EXPECT_EQ(bounds, 2u);
    bool has_tag = false;
    for (std::string_view t : s["tags"].get_array()) has_tag = has_tag || !t.empty();
    EXPECT_TRUE(has_tag);
    if (slices == 1) {  // the most regressed slice is task t0, where all the loss is
      for (std::string_view k : s["items"].get_array()) EXPECT_TRUE(k.starts_with("t0:")) << k;
    }
  }
  EXPECT_EQ(slices, d.slices.size());
  simdjson::ondemand::object evidence = doc["evidence"];
  EXPECT_EQ(int64_t(evidence["mcnemar"]["b"]), d.evidence.overall.lost);
  const std::string md = render_diagnosis_markdown(d);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find("cand\\|&lt;script&gt;"), std::string::npos);
  EXPECT_NE(md.find("operation=algebra"), std::string::npos);
}

}  // namespace
}  // namespace caploop
