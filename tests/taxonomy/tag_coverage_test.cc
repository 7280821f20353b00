// Coverage: counts per value (exact and rolled up), untagged items listed and never dropped, stable JSON.
#include "taxonomy/tag_coverage.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "taxonomy/tag_rules.h"

namespace caploop {
namespace {

TEST(TagCoverage, CountsValuesAndListsUntaggedItems) {
  TagRuleSet rules = TagRuleSet::parse(R"(
[[rule]]
id = "swaps"
text = 'swap'
tags.operation = ["state_tracking.object_swaps"]
[[rule]]
id = "moves"
text = 'step'
tags.operation = ["state_tracking.position", "state_tracking"]
)",
                                       "c.toml", EvalTaxonomy::builtin());
  std::vector<TaggedItem> items;
  for (auto [id, text] : std::vector<std::pair<std::string, std::string>>{
           {"0", "swap balls"}, {"1", "take a step"}, {"2", "swap then step"}, {"3", "\"quoted\" nothing"}}) {
    TaggableItem item;
    item.benchmark = "bbh";
    item.task = "t";
    item.source_id = id;
    item.text = text;
    items.push_back(TaggedItem{item.benchmark, item.task, id, rules.apply(item)});
  }
  TagCoverage coverage = TagCoverage::compute(EvalTaxonomy::builtin(), items);
  EXPECT_EQ(coverage.items, 4);
  const AxisCoverage& ops = coverage.axis(Axis::kOperation);
  EXPECT_EQ(ops.tagged_items, 3);
  EXPECT_EQ(ops.untagged_items, std::vector<std::string>{"t:3"});
  auto find = [&](const std::string& value) {
    for (const ValueCoverage& v : ops.values) {
      if (v.value == value) return v;
    }
    ADD_FAILURE() << value;
    return ValueCoverage{};
  };
  EXPECT_EQ(find("state_tracking").exact, 2);  // items 1 and 2 carry the parent value itself
  EXPECT_EQ(find("state_tracking").under, 3);  // each item counted once however many values it has below
  EXPECT_EQ(find("state_tracking.object_swaps").exact, 2);
  EXPECT_EQ(find("state_tracking.position").under, 2);
  EXPECT_EQ(find("sorting").under, 0);  // unused values are listed with zero
  EXPECT_EQ(coverage.axis(Axis::kBackground).untagged_items.size(), 4u);

  std::string json = tag_coverage_json(coverage, items);
  EXPECT_EQ(json, tag_coverage_json(TagCoverage::compute(EvalTaxonomy::builtin(), items), items));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(json).get(doc)) << json;
  EXPECT_EQ(int64_t(doc["items"]), 4);
  EXPECT_EQ(int64_t(doc["axes"]["operation"]["values"]["state_tracking"]["under"]), 3);
  EXPECT_EQ(std::string_view(doc["axes"]["operation"]["untagged"].at(0)), "t:3");
  EXPECT_EQ(simdjson::dom::array(doc["tagged_items"]).size(), 4u);
  EXPECT_EQ(std::string_view(doc["tagged_items"].at(2)["tags"]["operation"].at(0)), "state_tracking");

  std::string text = tag_coverage_text(coverage);
  EXPECT_NE(text.find("operation: 3 tagged, 1 with no value"), std::string::npos) << text;
}

}  // namespace
}  // namespace caploop
