// External annotations: override vs extend on top of the built-in rules, and validation errors.
#include "taxonomy/annotation_set.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "taxonomy/item_tagger.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::expect_error;

TaggableItem gsm8k_item(std::string id) {
  TaggableItem item;
  item.benchmark = "gsm8k";
  item.task = "gsm8k";
  item.source_id = std::move(id);
  item.text = "Janet sells 16 eggs a day at $2 each. How much does she make?";
  item.reference = "32";
  return item;
}

using Values = std::vector<std::string>;

TEST(Annotations, OverrideReplacesNamedAxesAndExtendAdds) {
  testing::TempDir dir;
  testing::write_file(
      dir / "notes.jsonl",
      R"({"benchmark":"gsm8k","task":"gsm8k","id":"1","tags":{"operation":["algebra.equation_solving"]},"mode":"override"})"
      "\n"
      R"({"benchmark":"gsm8k","task":"gsm8k","id":2,"tags":{"operation":["algebra.equation_solving"],"background":[]},"mode":"extend","rationale":"x"})"
      "\n\n"
      R"({"benchmark":"gsm8k","task":"gsm8k","id":"3","tags":{"output":[]},"mode":"override"})"
      "\n");
  AnnotationSet annotations = AnnotationSet::load(dir / "notes.jsonl", EvalTaxonomy::builtin());
  EXPECT_EQ(annotations.size(), 3u);
  ItemTagger tagger(TagRuleSet::builtin(), &annotations);
  ItemTagger rules_only(TagRuleSet::builtin());

  ItemTags plain = rules_only.tag(gsm8k_item("1"));
  ASSERT_EQ(plain.values(Axis::kOperation), Values{"arithmetic.multi_step"});

  ItemTags overridden = tagger.tag(gsm8k_item("1"));
  EXPECT_EQ(overridden.values(Axis::kOperation), Values{"algebra.equation_solving"});
  EXPECT_EQ(overridden.values(Axis::kBackground), plain.values(Axis::kBackground));  // not named: kept
  EXPECT_EQ(overridden.values(Axis::kOutput), plain.values(Axis::kOutput));

  ItemTags extended = tagger.tag(gsm8k_item("2"));  // integer id in the file
  EXPECT_EQ(extended.values(Axis::kOperation), (Values{"algebra.equation_solving", "arithmetic.multi_step"}));
  EXPECT_EQ(extended.values(Axis::kBackground), plain.values(Axis::kBackground));  // extend by nothing

  ItemTags cleared = tagger.tag(gsm8k_item("3"));
  EXPECT_TRUE(cleared.values(Axis::kOutput).empty());
  EXPECT_EQ(cleared.values(Axis::kOperation), plain.values(Axis::kOperation));

  EXPECT_EQ(tagger.tag(gsm8k_item("4")).values(Axis::kOperation), plain.values(Axis::kOperation));
  const ItemAnnotation* second = annotations.find("gsm8k", "gsm8k", "2");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->origin.line, 2);
  EXPECT_EQ(second->mode, AnnotationMode::kExtend);
}

struct BadAnnotationCase {
  const char* name;
  const char* text;
  int64_t line;
  const char* field;
  const char* message_part;
};

class BadAnnotations : public ::testing::TestWithParam<BadAnnotationCase> {};

TEST_P(BadAnnotations, ErrorNamesFileLineAndField) {
  const BadAnnotationCase& c = GetParam();
  Error e = expect_error([&] { AnnotationSet::parse(c.text, "notes.jsonl", EvalTaxonomy::builtin()); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "notes.jsonl");
  EXPECT_EQ(e.where().line, c.line) << e.what();
  EXPECT_EQ(e.where().field, c.field) << e.what();
  EXPECT_NE(e.message().find(c.message_part), std::string::npos) << e.message();
}

#define GOOD_LINE                                                                             \
  R"({"benchmark":"bbh","task":"navigate","id":"0","tags":{"operation":["state_tracking"]}})" \
  "\n"

INSTANTIATE_TEST_SUITE_P(
    Annotations, BadAnnotations,
    ::testing::Values(
        BadAnnotationCase{"unknown_value",
                          GOOD_LINE
                          R"({"benchmark":"bbh","task":"navigate","id":"1","tags":{"operation":["teleportation"]}})",
                          2, "tags.operation", "'teleportation' is not a value of axis 'operation'"},
        BadAnnotationCase{"unknown_axis",
                          GOOD_LINE R"({"benchmark":"bbh","task":"navigate","id":"1","tags":{"skill":["x"]}})", 2,
                          "tags.skill", "unknown axis"},
        BadAnnotationCase{"malformed_json", GOOD_LINE "\n{\"benchmark\": \n", 3, "", "not a JSON object"},
        BadAnnotationCase{"missing_id", R"({"benchmark":"bbh","task":"navigate","tags":{}})", 1, "id",
                          "missing field 'id'"},
        BadAnnotationCase{"bad_mode", R"({"benchmark":"bbh","task":"navigate","id":"0","tags":{},"mode":"replace"})", 1,
                          "mode", "\"override\" or \"extend\""},
        BadAnnotationCase{"tags_not_list",
                          R"({"benchmark":"bbh","task":"navigate","id":"0","tags":{"task":"generate"}})", 1,
                          "tags.task", "list of strings"},
        BadAnnotationCase{"duplicate_item", GOOD_LINE GOOD_LINE, 2, "id", "first on line 1"}),
    [](const ::testing::TestParamInfo<BadAnnotationCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace caploop
