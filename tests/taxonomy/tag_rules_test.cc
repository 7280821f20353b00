// TagRuleSet: the semantics of each condition, and validation errors naming file, line and key.
#include "taxonomy/tag_rules.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::expect_error;

TaggableItem make_item(std::string benchmark, std::string task, std::string text, std::string reference = "",
                       std::string metadata = "{}") {
  TaggableItem item;
  item.benchmark = std::move(benchmark);
  item.task = std::move(task);
  item.source_id = "7";
  item.text = std::move(text);
  item.reference = std::move(reference);
  item.metadata_json = std::move(metadata);
  return item;
}

using Values = std::vector<std::string>;

TEST(TagRules, GlobsMetadataAndPatternsMustAllHold) {
  TagRuleSet rules = TagRuleSet::parse(R"(
[[rule]]
id = "mc"
benchmark = ["mmlu*", "arc"]
task = "*_mathematics"
tags.task = ["select_option"]

[[rule]]
id = "cp5"
metadata.type = "Counting & Probability"
metadata.level = ["Level 5", "5"]
tags.operation = ["counting"]
dims.level = "5"

[[rule]]
id = "prob"
text = '(?i)\bprobability\b'
reference = '^\\frac'
tags.operation = ["probability"]
)",
                                       "r.toml", EvalTaxonomy::builtin());
  EXPECT_EQ(rules.apply(make_item("mmlu", "mmlu_college_mathematics", "")).values(Axis::kTask),
            Values{"select_option"});
  EXPECT_EQ(rules.apply(make_item("arc", "high_school_mathematics", "")).values(Axis::kTask), Values{"select_option"});
  EXPECT_TRUE(rules.apply(make_item("arc", "mathematics_x", "")).values(Axis::kTask).empty());
  EXPECT_TRUE(rules.apply(make_item("mmlux", "physics", "")).values(Axis::kTask).empty());

  ItemTags a = rules.apply(make_item("math", "math", "", "", R"({"type":"Counting & Probability","level":"Level 5"})"));
  EXPECT_EQ(a.values(Axis::kOperation), Values{"counting"});
  EXPECT_EQ(a.dims.at("level"), "5");
  EXPECT_EQ(a.dims.at("benchmark"), "math");
  EXPECT_EQ(a.dims.at("task"), "math");
  // A number in the metadata matches its JSON text.
  EXPECT_EQ(rules.apply(make_item("m", "m", "", "", R"({"type":"Counting & Probability","level":5})"))
                .values(Axis::kOperation),
            Values{"counting"});
  EXPECT_TRUE(rules.apply(make_item("m", "m", "", "", R"({"type":"Counting & Probability","level":"Level 4"})"))
                  .values(Axis::kOperation)
                  .empty());
  EXPECT_TRUE(rules.apply(make_item("m", "m", "", "", R"({"level":"Level 5"})")).values(Axis::kOperation).empty());

  EXPECT_EQ(rules.apply(make_item("x", "x", "What is the Probability that", "\\frac{1}{2}")).values(Axis::kOperation),
            Values{"probability"});
  EXPECT_TRUE(rules.apply(make_item("x", "x", "What is the probability that", "3")).values(Axis::kOperation).empty());
  EXPECT_TRUE(rules.apply(make_item("x", "x", "probabilities", "\\frac12")).values(Axis::kOperation).empty());
}

TEST(TagRules, RulesRunInOrderWithDefaultsGuardedByEarlierTags) {
  TagRuleSet rules = TagRuleSet::parse(R"(
[[rule]]
id = "subject"
metadata.type = "Geometry"
dims.subject = "geometry"

[[rule]]
id = "fine"
text = 'circle'
tags.operation = ["geometry.plane"]

[[rule]]
id = "default"
if_dims.subject = "geometry"
unless_tagged.operation = ["geometry"]
tags.operation = ["geometry"]

[[rule]]
id = "any_output"
only_if_untagged = ["output"]
reference = '^\d+$'
tags.output = ["integer"]

[[rule]]
id = "fallback_output"
only_if_untagged = ["output"]
tags.output = ["latex_expression"]
)",
                                       "order.toml", EvalTaxonomy::builtin());
  const char* geometry = R"({"type":"Geometry"})";
  ItemTags fine = rules.apply(make_item("math", "math", "a circle", "12", geometry));
  EXPECT_EQ(fine.values(Axis::kOperation), Values{"geometry.plane"});
  EXPECT_EQ(fine.values(Axis::kOutput), Values{"integer"});
  ItemTags fallback = rules.apply(make_item("math", "math", "a cube", "\\sqrt2", geometry));
  EXPECT_EQ(fallback.values(Axis::kOperation), Values{"geometry"});
  EXPECT_EQ(fallback.values(Axis::kOutput), Values{"latex_expression"});
  ItemTags other = rules.apply(make_item("math", "math", "a cube", "1", R"({"type":"Algebra"})"));
  EXPECT_TRUE(other.values(Axis::kOperation).empty());
  EXPECT_EQ(other.dims.count("subject"), 0u);
}

TEST(TagRules, BadItemMetadataIsAnInputErrorNamingTheItem) {
  TagRuleSet rules = TagRuleSet::parse("[[rule]]\nid = \"m\"\nmetadata.type = \"A\"\ntags.operation = [\"counting\"]\n",
                                       "m.toml", EvalTaxonomy::builtin());
  Error e = expect_error([&] { rules.apply(make_item("math", "algebra", "", "", "[1,2]")); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "math/algebra/7");
  EXPECT_EQ(e.where().field, "metadata_json");
}

struct BadRulesCase {
  const char* name;
  const char* text;
  int64_t line;
  const char* field;
  const char* message_part;
};

class BadRules : public ::testing::TestWithParam<BadRulesCase> {};

TEST_P(BadRules, ErrorNamesFileLineAndKey) {
  const BadRulesCase& c = GetParam();
  Error e = expect_error([&] { TagRuleSet::parse(c.text, "rules.toml", EvalTaxonomy::builtin()); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "rules.toml");
  EXPECT_EQ(e.where().line, c.line) << e.what();
  EXPECT_EQ(e.where().field, c.field) << e.what();
  EXPECT_NE(e.message().find(c.message_part), std::string::npos) << e.message();
}

INSTANTIATE_TEST_SUITE_P(
    TagRules, BadRules,
    ::testing::Values(
        BadRulesCase{"unknown_value",
                     "[[rule]]\nid = \"a\"\ntags.operation = [\"counting\",\n  \"arithmetic.long_division\"]\n", 4,
                     "tags.operation", "'arithmetic.long_division' is not a value of axis 'operation'"},
        BadRulesCase{"value_on_wrong_axis", "[[rule]]\nid = \"a\"\ntags.output = [\"probability\"]\n", 3, "tags.output",
                     "'probability' is not a value"},
        BadRulesCase{"unknown_value_in_unless",
                     "[[rule]]\nid = \"a\"\nunless_tagged.operation = [\"nope\"]\ntags.operation = [\"counting\"]\n", 3,
                     "unless_tagged.operation", "'nope'"},
        BadRulesCase{"unknown_axis", "[[rule]]\nid = \"a\"\ntags.difficulty = [\"hard\"]\n", 3, "tags.difficulty",
                     "unknown axis"},
        BadRulesCase{"syntax", "[[rule]]\nid = \"a\"\ntags.operation = [\"counting\"\n", 3, "", "invalid TOML"},
        BadRulesCase{"wrong_type", "[[rule]]\nid = \"a\"\n\nbenchmark = 3\ntags.operation = [\"counting\"]\n", 4,
                     "benchmark", "must be a string or a list of strings, not a integer"},
        BadRulesCase{"bad_regex", "[[rule]]\nid = \"a\"\ntext = '(unclosed'\ntags.operation = [\"counting\"]\n", 3,
                     "text", "invalid regular expression"},
        BadRulesCase{"unknown_key", "[[rule]]\nid = \"a\"\nbenchmrk = \"bbh\"\ntags.operation = [\"counting\"]\n", 3,
                     "benchmrk", "unknown key"},
        BadRulesCase{
            "duplicate_id",
            "[[rule]]\nid = \"a\"\ntags.task = [\"generate\"]\n[[rule]]\nid = \"a\"\ntags.task = [\"generate\"]\n", 5,
            "id", "duplicate rule id"},
        BadRulesCase{"no_effect", "[[rule]]\nid = \"a\"\nbenchmark = \"bbh\"\n", 1, "tags", "neither tags nor dims"},
        BadRulesCase{"missing_id", "[[rule]]\ntags.task = [\"generate\"]\n", 1, "id", "has no 'id'"},
        BadRulesCase{"reserved_dim", "[[rule]]\nid = \"a\"\ndims.task = \"x\"\n", 3, "dims.task", "cannot be set"},
        BadRulesCase{"top_level", "version = 1\nrules = []\n", 2, "rules", "unknown top-level key"},
        BadRulesCase{"only_if_untagged_axis",
                     "[[rule]]\nid = \"a\"\nonly_if_untagged = [\"outputs\"]\ntags.task = [\"generate\"]\n", 3,
                     "only_if_untagged", "unknown axis"}),
    [](const ::testing::TestParamInfo<BadRulesCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace caploop
