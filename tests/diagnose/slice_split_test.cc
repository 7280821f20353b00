// A reported slice that is a union of operation parts whose changes differ is reported as its parts: two tasks
// share `output=integer`, one (operation `counting`) loses half of its right answers, the other (operation
// `algebra`) two in five. The difference is too small for either task to concentrate the union's loss on its
// own, but the parts differ significantly: both tasks are reported, the union listed under them.
#include <gtest/gtest.h>

#include <algorithm>

#include "diagnose/verdict.h"
#include "synthetic_runs.h"

namespace caploop {
namespace {

TEST(SliceSplit, UnionOfPartsThatLostDifferentSharesIsReportedAsItsParts) {
  DiagnosisInput input = testing::make_identical_runs(2000, 10, 0.7, 7);
  // Tasks t0 (algebra) and t1 (counting): 200 items each, all right in the baseline, output=integer.
  int64_t seen0 = 0, seen1 = 0;
  for (PairedItem& item : input.items) {
    const std::string& task = item.tags.dims.at("task");
    if (task != "t0" && task != "t1") continue;
    item.tags.add(Axis::kOutput, "integer");
    item.base_correct = 1;
    const int64_t k = task == "t0" ? seen0++ : seen1++;
    const bool lost = task == "t1" ? k % 2 == 0 : k % 5 < 2;  // counting 50%, algebra 40%
    item.cand_correct = lost ? 0 : 1;
    item.cand_correct_lenient = item.cand_correct_first = item.cand_correct;
  }
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  ASSERT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  std::vector<std::string> names;
  for (const DiagnosisSlice& s : d.slices) names.push_back(s.tags.front());
  for (const DiagnosisSlice& s : d.slices) {
    for (const std::string& t : s.tags) EXPECT_NE(t, "output=integer") << "the union is reported, not its parts";
    EXPECT_EQ(s.n, 200) << s.tags.front();
    EXPECT_FALSE(s.split) << s.tags.front();
  }
  ASSERT_EQ(d.slices.size(), 2u) << ::testing::PrintToString(names);
  bool union_listed = false;
  for (const DiagnosisSlice& s : d.slices) {
    for (const ExplainedSlice& e : s.explains) {
      if (std::find(e.tags.begin(), e.tags.end(), "output=integer") != e.tags.end()) {
        union_listed = true;
        EXPECT_EQ(e.relation, "ancestor");
        EXPECT_EQ(e.overlap, 200);
      }
    }
  }
  EXPECT_TRUE(union_listed);
}

}  // namespace
}  // namespace caploop
