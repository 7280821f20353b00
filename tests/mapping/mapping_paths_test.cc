// The three paths from a weak slice to mapping rules: its tags, its equivalent tag sets, its operation parts
// (weighted by their share of the deficit), with the built-in rules, which treat output constraints as no data.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "mapping/mapping_rules.h"
#include "mapping/slice_mapping.h"
#include "mapping/weak_slice.h"

namespace caploop {
namespace {

WeakSlicePart part(std::vector<std::string> tags, double share, double q = 1e-6) {
  return WeakSlicePart{std::move(tags), 250, 0.5, q, share};
}

const FiredRule* fired(const SliceMappingRow& row, const std::string& id) {
  auto it = std::find_if(row.fired.begin(), row.fired.end(), [&](const FiredRule& f) { return f.rule_id == id; });
  return it == row.fired.end() ? nullptr : &*it;
}

// output=integer alone is "not data"; with its operation parts (counting 46%, arithmetic 54%) it maps through
// them, each rule carrying its part's share, and the no_data rule of the output tag is still listed.
TEST(MappingPaths, OutputSliceMapsThroughItsOperationsWeightedByDeficitShare) {
  const MappingRules rules = builtin_mapping_rules();
  WeakSlice bare;
  bare.id = "S1";
  bare.tags = {"output=integer"};
  bare.n = 500;
  WeakSlice decomposed = bare;
  decomposed.operations = {
      part({"operation=arithmetic.expression_evaluation", "operation=arithmetic.multi_step"}, 0.54),
      part({"operation=counting.object_counting"}, 0.46), part({"operation=logic.deduction"}, 0.0)};
  const SliceMapping m = map_weak_slices(rules, {bare, decomposed});
  EXPECT_EQ(m.rows[0].status, SliceStatus::kNotData);
  ASSERT_EQ(m.rows[1].status, SliceStatus::kMapped);
  double arithmetic_share = 0.0, counting_share = 0.0;
  bool no_data_listed = false;
  for (const FiredRule& f : m.rows[1].fired) {
    if (f.category.empty()) {
      no_data_listed = true;
      EXPECT_EQ(f.path, "tags");
      continue;
    }
    EXPECT_EQ(f.path, "operations") << f.rule_id;
    if (f.matched_tag.starts_with("operation=arithmetic")) arithmetic_share = f.share;
    if (f.matched_tag.starts_with("operation=counting")) counting_share = f.share;
    EXPECT_EQ(f.matched_tag.find("logic"), std::string::npos) << "a part that lost nothing maps nothing";
  }
  EXPECT_TRUE(no_data_listed);
  EXPECT_DOUBLE_EQ(arithmetic_share, 0.54);  // one part, two tags under one rule: its share once
  EXPECT_DOUBLE_EQ(counting_share, 0.46);
}

// A slice whose own tags map keeps them (share 1); a split slice is read as its parts only.
TEST(MappingPaths, TagsFirstUnlessTheSliceIsSplit) {
  const MappingRules rules = builtin_mapping_rules();
  WeakSlice own;
  own.id = "S1";
  own.tags = {"operation=temporal.date_arithmetic"};
  own.equivalent = {{"background=calendar"}};
  own.operations = {part({"operation=temporal.date_arithmetic"}, 1.0)};
  WeakSlice split = own;
  split.id = "S2";
  split.tags = {"task=select_option"};
  split.equivalent = {};
  split.split = true;
  split.operations = {part({"operation=temporal.date_arithmetic"}, 0.7), part({"operation=counting"}, 0.3),
                      part({"operation=sorting"}, 0.0, 0.5)};
  const SliceMapping m = map_weak_slices(rules, {own, split});
  ASSERT_EQ(m.rows[0].status, SliceStatus::kMapped);
  for (const FiredRule& f : m.rows[0].fired) {
    EXPECT_TRUE(f.path == "tags" || f.path == "equivalent") << f.rule_id;
    EXPECT_DOUBLE_EQ(f.share, 1.0);
  }
  EXPECT_TRUE(std::any_of(m.rows[0].fired.begin(), m.rows[0].fired.end(),
                          [](const FiredRule& f) { return f.path == "equivalent"; }));
  ASSERT_EQ(m.rows[1].status, SliceStatus::kMapped);
  for (const FiredRule& f : m.rows[1].fired) {
    EXPECT_EQ(f.path, "operations") << f.rule_id;
    EXPECT_TRUE(f.share == 0.7 || f.share == 0.3) << f.rule_id << " " << f.share;
  }
  EXPECT_EQ(fired(m.rows[1], "sorting"), nullptr);  // not significant, no share
}

// Both files carry the parts; a malformed part names its field.
TEST(MappingPaths, OperationPartsAreReadFromBothFilesAndCheckedByField) {
  const std::string weaknesses = R"({"weaknesses": [{"tags": ["output=integer"], "n": 500, "accuracy": 0.05,
    "q_value": 1e-9, "deficit": 0.6, "items": [], "equivalent": [["task=compute_value"]],
    "operations": {"split": true, "heterogeneity_p": 1e-5, "parts": [
      {"tags": ["operation=counting.object_counting"], "n": 250, "accuracy": 0.09, "deficit": 0.6,
       "q_value": 1e-8, "deficit_share": 0.46}]}}], "mining": {}})";
  const WeakSliceList list = parse_weak_slices(weaknesses, "w.json");
  ASSERT_EQ(list.slices.size(), 1u);
  EXPECT_TRUE(list.slices[0].split);
  ASSERT_EQ(list.slices[0].operations.size(), 1u);
  EXPECT_DOUBLE_EQ(list.slices[0].operations[0].deficit_share, 0.46);
  EXPECT_EQ(list.slices[0].equivalent, (std::vector<std::vector<std::string>>{{"task=compute_value"}}));
  std::string bad = weaknesses;
  bad.replace(bad.find("\"split\": true"), 13, "\"split\": 1");
  try {
    parse_weak_slices(bad, "w.json");
    FAIL() << "a non-boolean split was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/weaknesses/0/operations/split"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace caploop
