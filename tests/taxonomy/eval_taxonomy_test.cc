// EvalTaxonomy: the built-in taxonomy's content and the loader's validation (file, line and key in errors).
#include "taxonomy/eval_taxonomy.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::expect_error;

TEST(EvalTaxonomy, BuiltinHasTheValuesTheIssueAsksFor) {
  const EvalTaxonomy& t = EvalTaxonomy::builtin();
  for (const char* v : {"formal_symbolic", "everyday_scenario", "scientific", "linguistic", "world_knowledge",
                        "tabular", "calendar", "spatial"}) {
    EXPECT_TRUE(t.contains(Axis::kBackground, v)) << v;
  }
  for (const char* v : {"select_option", "compute_value", "judge_binary", "transform_sequence", "generate"}) {
    EXPECT_TRUE(t.contains(Axis::kTask, v)) << v;
  }
  for (const char* v :
       {"arithmetic.multi_step", "algebra.equation_solving", "counting.case_enumeration", "probability",
        "number_theory.modular_arithmetic", "geometry", "logic.deduction", "logic.boolean_evaluation", "state_tracking",
        "temporal", "bracket_matching", "sorting", "causal_judgement", "lexical_knowledge", "table_lookup"}) {
    EXPECT_TRUE(t.contains(Axis::kOperation, v)) << v;
  }
  for (const char* v : {"option_letter", "binary_label", "integer", "real_number", "latex_expression", "word_sequence",
                        "short_free_text"}) {
    EXPECT_TRUE(t.contains(Axis::kOutput, v)) << v;
  }
  EXPECT_FALSE(t.contains(Axis::kOutput, "probability"));  // values belong to one axis
  EXPECT_FALSE(t.contains(Axis::kOperation, "arithmetic.multi"));
}

TEST(EvalTaxonomy, EveryBuiltinValueHasItsParentAndADescription) {
  const EvalTaxonomy& t = EvalTaxonomy::builtin();
  size_t total = 0;
  for (Axis axis : kAllAxes) {
    const auto& values = t.values(axis);
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_FALSE(values[i].description.empty()) << values[i].value;
      EXPECT_GT(values[i].line, 0);
      std::string_view parent = EvalTaxonomy::parent_of(values[i].value);
      if (!parent.empty()) {
        EXPECT_TRUE(t.contains(axis, parent)) << values[i].value;
      }
      if (i > 0) {
        EXPECT_LT(values[i - 1].value, values[i].value);
      }
      ++total;
    }
  }
  EXPECT_GT(total, 100u);
}

TEST(EvalTaxonomy, HierarchyHelpers) {
  EXPECT_EQ(EvalTaxonomy::parent_of("a.b.c"), "a.b");
  EXPECT_EQ(EvalTaxonomy::parent_of("a"), "");
  EXPECT_EQ(EvalTaxonomy::ancestors_of("a.b.c"), (std::vector<std::string>{"a", "a.b"}));
  EXPECT_TRUE(value_is_under("arithmetic.multi_step", "arithmetic"));
  EXPECT_TRUE(value_is_under("arithmetic", "arithmetic"));
  EXPECT_FALSE(value_is_under("arithmetic_x", "arithmetic"));
  EXPECT_FALSE(value_is_under("arith", "arithmetic"));
  EXPECT_EQ(axis_from_name("operation"), Axis::kOperation);
  EXPECT_FALSE(axis_from_name("operations").has_value());
}

const char* kMinimalAxes = R"(
[background]
"b" = "B"
[task]
"t" = "T"
[output]
"o" = "O"
)";

TEST(EvalTaxonomy, ParsesAHandWrittenFile) {
  std::string text =
      std::string(kMinimalAxes) + "[operation]\n\"x\" = \"X\"\n\"x.y\" = \"X Y\"\n\"x.y.z\" = \"deep\"\n";
  EvalTaxonomy t = EvalTaxonomy::parse(text, "mine.toml");
  EXPECT_TRUE(t.contains(Axis::kOperation, "x.y.z"));
  ASSERT_NE(t.find(Axis::kOperation, "x.y"), nullptr);
  EXPECT_EQ(t.find(Axis::kOperation, "x.y")->description, "X Y");
  EXPECT_EQ(t.find(Axis::kOperation, "x.y")->line, 10);
}

TEST(EvalTaxonomy, BadTomlSyntaxNamesFileAndLine) {
  std::string text = std::string(kMinimalAxes) + "[operation]\n\"x\" = \"X\"\n\"y\" = \"unterminated\n";
  Error e = expect_error([&] { EvalTaxonomy::parse(text, "bad.toml"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "bad.toml");
  EXPECT_EQ(e.where().line, 10);
  EXPECT_NE(std::string(e.what()).find("bad.toml:10"), std::string::npos) << e.what();
}

TEST(EvalTaxonomy, UnknownParentNamesLineAndKey) {
  std::string text = std::string(kMinimalAxes) + "[operation]\n\"x\" = \"X\"\n\"y.z\" = \"orphan\"\n";
  Error e = expect_error([&] { EvalTaxonomy::parse(text, "orphan.toml"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "orphan.toml");
  EXPECT_EQ(e.where().line, 10);
  EXPECT_EQ(e.where().field, "operation.y.z");
  EXPECT_NE(e.message().find("'y'"), std::string::npos) << e.message();
}

TEST(EvalTaxonomy, WrongTypeNamesLineAndKey) {
  std::string text = std::string(kMinimalAxes) + "[operation]\n\"x\" = \"X\"\n\"x.n\" = 42\n";
  Error e = expect_error([&] { EvalTaxonomy::parse(text, "types.toml"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().line, 10);
  EXPECT_EQ(e.where().field, "operation.x.n");
  EXPECT_NE(e.message().find("integer"), std::string::npos) << e.message();

  // An unquoted dotted key makes a table, which is a wrong type too, and the message says to quote it.
  std::string dotted = std::string(kMinimalAxes) + "[operation]\nx.y = \"X\"\n";
  Error d = expect_error([&] { EvalTaxonomy::parse(dotted, "dotted.toml"); });
  EXPECT_EQ(d.where().line, 9);
  EXPECT_NE(d.message().find("quoted"), std::string::npos) << d.message();

  std::string axis_not_table = "version = 1\noperation = \"x\"\n" + std::string(kMinimalAxes);
  Error a = expect_error([&] { EvalTaxonomy::parse(axis_not_table, "axis.toml"); });
  EXPECT_EQ(a.where().line, 2);
  EXPECT_EQ(a.where().field, "operation");
}

TEST(EvalTaxonomy, UnknownAxisDuplicateValueAndBadNamesAreRejected) {
  std::string unknown = std::string(kMinimalAxes) + "[operation]\n\"x\" = \"X\"\n[difficulty]\n\"hard\" = \"H\"\n";
  Error u = expect_error([&] { EvalTaxonomy::parse(unknown, "u.toml"); });
  EXPECT_EQ(u.where().line, 10);
  EXPECT_EQ(u.where().field, "difficulty");

  // TOML itself forbids a key twice; the error points at the second definition.
  std::string duplicate = std::string(kMinimalAxes) + "[operation]\n\"x\" = \"X\"\n\"x\" = \"again\"\n";
  Error d = expect_error([&] { EvalTaxonomy::parse(duplicate, "d.toml"); });
  EXPECT_EQ(d.kind(), ErrorKind::kInput);
  EXPECT_EQ(d.where().line, 10);

  std::string bad_name = std::string(kMinimalAxes) + "[operation]\n\"Upper Case\" = \"X\"\n";
  Error b = expect_error([&] { EvalTaxonomy::parse(bad_name, "n.toml"); });
  EXPECT_EQ(b.where().line, 9);
  EXPECT_EQ(b.where().field, "operation.Upper Case");

  Error missing = expect_error([&] { EvalTaxonomy::parse(kMinimalAxes, "m.toml"); });
  EXPECT_EQ(missing.where().field, "operation");
}

TEST(EvalTaxonomy, MissingFileIsAnIoError) {
  Error e = expect_error([] { EvalTaxonomy::load("/nonexistent/taxonomy.toml"); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(e.where().file, "/nonexistent/taxonomy.toml");
}

TEST(EvalTaxonomy, LoadsTheShippedFileFromDisk) {
  EvalTaxonomy t = EvalTaxonomy::load(testing::source_dir() / "data" / "taxonomy" / "eval_taxonomy.toml");
  for (Axis axis : kAllAxes) EXPECT_EQ(t.values(axis).size(), EvalTaxonomy::builtin().values(axis).size());
}

}  // namespace
}  // namespace caploop
