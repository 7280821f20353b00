// The built-in mapping rules: they validate against both built-in
// taxonomies, and they cover the evaluation taxonomy as docs/mapping.md promises.
#include "mapping/builtin_mapping_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "corpus/data_taxonomy.h"
#include "mapping/mapping_rules.h"
#include "mapping/slice_mapping.h"
#include "taxonomy/eval_taxonomy.h"
#include "test_support.h"

namespace caploop {
namespace {

WeakSlice slice_with(std::vector<std::string> tags) {
  WeakSlice s;
  s.id = "S1";
  s.tags = std::move(tags);
  s.n = 10;
  return s;
}

TEST(BuiltinMappingRules, ValidateAgainstBothBuiltinTaxonomies) {
  MappingRules rules = builtin_mapping_rules();
  EXPECT_EQ(rules.name, "caploop-builtin");
  EXPECT_EQ(rules.version, 1);
  EXPECT_EQ(rules.source, "<built-in>");
  EXPECT_EQ(rules.fingerprint.size(), 16u);
  EXPECT_GT(rules.rules.size(), 40u);
  EXPECT_NO_THROW(validate_against(rules, EvalTaxonomy::builtin(), corpus::builtin_data_taxonomy()));
  // The file on disk is the same set.
  MappingRules from_file = load_mapping_rules((testing::source_dir() / "data/mapping/mapping_rules.toml").string());
  EXPECT_EQ(from_file.fingerprint, rules.fingerprint);
  EXPECT_EQ(from_file.rules.size(), rules.rules.size());
}

TEST(BuiltinMappingRules, EveryRuleHasAReasonSentence) {
  for (const MappingRule& rule : builtin_mapping_rules().rules) {
    EXPECT_GE(rule.reason.size(), 20u) << rule.id;
    EXPECT_EQ(rule.reason.back(), '.') << rule.id;
    EXPECT_EQ(rule.no_data, rule.target.empty()) << rule.id;
  }
}

TEST(BuiltinMappingRules, EveryOutputValueMapsToNoData) {
  MappingRules rules = builtin_mapping_rules();
  const auto& outputs = EvalTaxonomy::builtin().values(Axis::kOutput);
  ASSERT_FALSE(outputs.empty());
  for (const TaxonomyValue& v : outputs) {
    std::vector<WeakSlice> slices = {slice_with({"output=" + v.value})};
    SliceMapping m = map_weak_slices(rules, slices);
    ASSERT_EQ(m.rows.size(), 1u);
    EXPECT_EQ(m.rows[0].status, SliceStatus::kNotData) << v.value;
    EXPECT_TRUE(m.categories.empty()) << v.value;
  }
}

// Every operation value maps to data except the few docs/mapping.md lists as deliberate gaps.
TEST(BuiltinMappingRules, OperationValuesAreMappedExceptDocumentedGaps) {
  MappingRules rules = builtin_mapping_rules();
  const std::set<std::string> gaps = {"attribute_lookup", "similarity_judgement"};
  for (const TaxonomyValue& v : EvalTaxonomy::builtin().values(Axis::kOperation)) {
    std::vector<WeakSlice> slices = {slice_with({"operation=" + v.value})};
    SliceMapping m = map_weak_slices(rules, slices);
    const bool gap = gaps.count(v.value) > 0;
    EXPECT_EQ(m.rows[0].status, gap ? SliceStatus::kUnmapped : SliceStatus::kMapped) << v.value;
  }
}

TEST(BuiltinMappingRules, CountingCasesPointToCountingProbabilityWorkedSolutions) {
  std::vector<WeakSlice> slices = {slice_with({"operation=counting.case_enumeration"})};
  SliceMapping m = map_weak_slices(builtin_mapping_rules(), slices);
  ASSERT_EQ(m.rows[0].status, SliceStatus::kMapped);
  ASSERT_FALSE(m.rows[0].fired.empty());
  EXPECT_EQ(m.rows[0].fired[0].category, "capability__worked_solution&math_subfield__counting_probability");
  EXPECT_DOUBLE_EQ(m.rows[0].fired[0].weight, 1.0);
  for (const FiredRule& f : m.rows[0].fired) EXPECT_EQ(f.matched_tag, "operation=counting.case_enumeration");
}

TEST(BuiltinMappingRules, WorldKnowledgeBackgroundsMapToTopics) {
  MappingRules rules = builtin_mapping_rules();
  for (const TaxonomyValue& v : EvalTaxonomy::builtin().values(Axis::kBackground)) {
    if (!value_is_under(v.value, "world_knowledge")) continue;
    std::vector<WeakSlice> slices = {slice_with({"background=" + v.value})};
    SliceMapping m = map_weak_slices(rules, slices);
    EXPECT_EQ(m.rows[0].status, SliceStatus::kMapped) << v.value;
    if (v.value == "world_knowledge") continue;
    bool topic = false;
    for (const std::string& c : m.categories) topic = topic || c.rfind("topic__", 0) == 0;
    EXPECT_TRUE(topic) << v.value;
  }
}

}  // namespace
}  // namespace caploop
