// map_weak_slices: most specific rule wins, statuses, equivalent tag sets, categories; and the mapping of a
// real diagnosis with the built-in rules.
#include "mapping/slice_mapping.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "mapping/mapping_rules.h"
#include "mapping/real_weak_files.h"
#include "mapping/weak_slice.h"
#include "test_support.h"

namespace caploop {
namespace {

const char* kRules = R"([mapping]
name = "t"
version = 1

[[rules]]
id = "counting"
when = "operation=counting"
target = ["math_subfield.counting_probability"]
reason = "Parent."

[[rules]]
id = "cases-a"
when = "operation=counting.case_enumeration"
target = ["math_subfield.counting_probability", "capability.worked_solution"]
reason = "Child."

[[rules]]
id = "logic"
when = "operation=logic"
target = ["capability.logical"]
weight = 0.25
reason = "Logic."

[[rules]]
id = "cases-b"
when = "operation=counting.case_enumeration"
target = ["math_operation.combinatorial_counting"]
weight = 0.5
reason = "Child, second target."

[[rules]]
id = "letter"
when = "output=option_letter"
no_data = true
reason = "Format."
)";

WeakSlice slice(const std::string& id, std::vector<std::string> tags, std::vector<std::vector<std::string>> eq = {}) {
  WeakSlice s;
  s.id = id;
  s.tags = std::move(tags);
  s.equivalent = std::move(eq);
  s.n = 10;
  return s;
}

std::vector<std::string> fired_ids(const SliceMappingRow& row) {
  std::vector<std::string> ids;
  for (const FiredRule& f : row.fired) ids.push_back(f.rule_id);
  return ids;
}

TEST(SliceMapping, AttributeAndCategoryNames) {
  EXPECT_EQ(attribute_name_of("math_subfield.counting_probability"), "math_subfield__counting_probability");
  EXPECT_EQ(category_name({"math_subfield.counting_probability", "capability.worked_solution"}),
            "capability__worked_solution&math_subfield__counting_probability");
  EXPECT_EQ(category_name({"capability.worked_solution", "math_subfield.counting_probability"}),
            "capability__worked_solution&math_subfield__counting_probability");
  EXPECT_EQ(category_name({"topic.literature"}), "topic__literature");
}

TEST(SliceMapping, MostSpecificRuleWinsAndRulesOfTheSameWhenAllFire) {
  const MappingRules rules = parse_mapping_rules(kRules, "t.toml");
  std::vector<WeakSlice> slices = {slice("S1", {"operation=counting.case_enumeration"}),
                                   slice("S2", {"operation=counting.object_counting"}),
                                   slice("S3", {"operation=counting"})};
  SliceMapping m = map_weak_slices(rules, slices);
  ASSERT_EQ(m.rows.size(), 3u);
  // The child rules beat the parent; both child rules fire, in file order.
  EXPECT_EQ(fired_ids(m.rows[0]), (std::vector<std::string>{"cases-a", "cases-b"}));
  EXPECT_EQ(m.rows[0].fired[1].category, "math_operation__combinatorial_counting");
  EXPECT_EQ(m.rows[0].fired[1].weight, 0.5);
  // A child value without its own rule falls back to the nearest ancestor.
  EXPECT_EQ(fired_ids(m.rows[1]), (std::vector<std::string>{"counting"}));
  EXPECT_EQ(m.rows[1].fired[0].matched_tag, "operation=counting.object_counting");
  EXPECT_EQ(fired_ids(m.rows[2]), (std::vector<std::string>{"counting"}));
  for (const auto& row : m.rows) EXPECT_EQ(row.status, SliceStatus::kMapped);
  EXPECT_EQ(m.rows[0].slice, &slices[0]);
  EXPECT_EQ(m.categories, (std::vector<std::string>{"capability__worked_solution&math_subfield__counting_probability",
                                                    "math_operation__combinatorial_counting",
                                                    "math_subfield__counting_probability"}));
}

TEST(SliceMapping, PrefixOfASegmentIsNotAnAncestor) {
  MappingRules rules = parse_mapping_rules(kRules, "t.toml");
  std::vector<WeakSlice> slices = {slice("S1", {"operation=counting_extra"}), slice("S2", {"background=counting"})};
  SliceMapping m = map_weak_slices(rules, slices);
  EXPECT_EQ(m.rows[0].status, SliceStatus::kUnmapped);
  EXPECT_EQ(m.rows[1].status, SliceStatus::kUnmapped);  // same value on another axis
}

TEST(SliceMapping, StatusesNotDataAndUnmapped) {
  MappingRules rules = parse_mapping_rules(kRules, "t.toml");
  std::vector<WeakSlice> slices = {slice("S1", {"output=option_letter"}), slice("S2", {"benchmark=bbh"}),
                                   slice("S3", {"output=option_letter", "operation=logic.deduction"}), slice("S4", {})};
  SliceMapping m = map_weak_slices(rules, slices);
  EXPECT_EQ(m.rows[0].status, SliceStatus::kNotData);
  ASSERT_EQ(m.rows[0].fired.size(), 1u);
  EXPECT_EQ(m.rows[0].fired[0].category, "");
  EXPECT_EQ(m.rows[1].status, SliceStatus::kUnmapped);
  EXPECT_TRUE(m.rows[1].fired.empty());
  // A slice with a target rule is mapped even when a no_data rule fires too; rules in file order.
  EXPECT_EQ(m.rows[2].status, SliceStatus::kMapped);
  EXPECT_EQ(fired_ids(m.rows[2]), (std::vector<std::string>{"logic", "letter"}));
  EXPECT_EQ(m.rows[3].status, SliceStatus::kUnmapped);
  EXPECT_EQ(m.categories, (std::vector<std::string>{"capability__logical"}));
}

TEST(SliceMapping, EquivalentTagSetsFireAndARuleFiresOncePerSlice) {
  MappingRules rules = parse_mapping_rules(kRules, "t.toml");
  std::vector<WeakSlice> slices = {
      slice("S1", {"background=everyday_scenario.objects"},
            {{"operation=counting.object_counting"}, {"output=integer"}}),
      slice("S2", {"operation=counting.object_counting", "operation=counting.object_counting"},
            {{"operation=counting"}})};
  SliceMapping m = map_weak_slices(rules, slices);
  EXPECT_EQ(m.rows[0].status, SliceStatus::kMapped);
  ASSERT_EQ(fired_ids(m.rows[0]), (std::vector<std::string>{"counting"}));
  EXPECT_EQ(m.rows[0].fired[0].matched_tag, "operation=counting.object_counting");
  EXPECT_EQ(fired_ids(m.rows[1]), (std::vector<std::string>{"counting"}));
}

TEST(SliceMapping, SameInputSameOutput) {
  MappingRules rules = builtin_mapping_rules();
  std::vector<WeakSlice> slices = {slice("S1", {"operation=probability", "background=calendar"}),
                                   slice("S2", {"operation=temporal.schedule"})};
  SliceMapping a = map_weak_slices(rules, slices), b = map_weak_slices(rules, slices);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  EXPECT_EQ(a.categories, b.categories);
  for (size_t i = 0; i < a.rows.size(); ++i) EXPECT_EQ(fired_ids(a.rows[i]), fired_ids(b.rows[i]));
  EXPECT_TRUE(std::is_sorted(a.categories.begin(), a.categories.end()));
}

// The real diagnosis (date_understanding and object_counting made weak) maps its two task slices, through the
// operations its equivalent tag sets name, to arithmetic and procedural data.
TEST(SliceMapping, RealDiagnosisWithBuiltinRules) {
  REQUIRE_SHARED_DATA();
  WeakSliceList list = read_weak_slices(testing::real_weak_files()->diagnosis.string());
  SliceMapping m = map_weak_slices(builtin_mapping_rules(), list.slices);
  ASSERT_EQ(m.rows.size(), list.slices.size());
  bool dates = false, objects = false;
  for (const SliceMappingRow& row : m.rows) {
    for (const FiredRule& f : row.fired) {
      if (f.rule_id == "temporal-dates") {
        dates = true;
        EXPECT_EQ(row.status, SliceStatus::kMapped);
        EXPECT_EQ(f.matched_tag, "operation=temporal.date_arithmetic");
        EXPECT_EQ(f.category, "capability__procedural&math_operation__arithmetic_computation");
      }
      if (f.rule_id == "counting-objects") {
        objects = true;
        EXPECT_EQ(f.matched_tag, "operation=counting.object_counting");
      }
    }
  }
  EXPECT_TRUE(dates);
  EXPECT_TRUE(objects);
  // The benchmark-wide slice names no evaluation axis: a gap.
  for (const SliceMappingRow& row : m.rows) {
    if (row.slice->tags == std::vector<std::string>{"benchmark=bbh"}) {
      EXPECT_EQ(row.status, SliceStatus::kUnmapped);
    }
  }
}

}  // namespace
}  // namespace caploop
