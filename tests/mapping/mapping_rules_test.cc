// Parsing and validating mapping rules: every error names the file, the line and the key.
#include "mapping/mapping_rules.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "corpus/data_taxonomy.h"
#include "taxonomy/eval_taxonomy.h"
#include "test_support.h"

namespace caploop {
namespace {

const std::string kHeader = "[mapping]\nname = \"test\"\nversion = 3\n";  // lines 1-3

// The rule text starts on line 5 ("[[rules]]"), its keys on the lines below.
std::string with_rule(const std::string& body) { return kHeader + "\n[[rules]]\n" + body; }

Error parse_error(const std::string& text) {
  return testing::expect_error([&] { parse_mapping_rules(text, "m.toml"); }, "input:\n" + text);
}

Error validation_error(const std::string& text) {
  MappingRules rules = parse_mapping_rules(text, "m.toml");
  return testing::expect_error(
      [&] { validate_against(rules, EvalTaxonomy::builtin(), corpus::builtin_data_taxonomy()); }, "input:\n" + text);
}

void expect_at(const Error& e, int64_t line, const std::string& field, const std::string& message_part) {
  EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.what();
  EXPECT_EQ(e.where().file, "m.toml") << e.what();
  EXPECT_EQ(e.where().line, line) << e.what();
  EXPECT_EQ(e.where().field, field) << e.what();
  EXPECT_NE(std::string(e.what()).find(message_part), std::string::npos) << e.what();
}

TEST(MappingRulesParse, ReadsRulesInFileOrder) {
  MappingRules rules = parse_mapping_rules(with_rule("id = \"a\"\nwhen = \"operation=counting\"\n"
                                                     "target = [\"math_subfield.counting_probability\", "
                                                     "\"capability.worked_solution\"]\nweight = 0.5\n"
                                                     "reason = \"Why a.\"\n\n[[rules]]\nid = \"b\"\n"
                                                     "when = \"output=integer\"\nno_data = true\n"
                                                     "reason = \"Why b.\"\n"),
                                           "m.toml");
  EXPECT_EQ(rules.name, "test");
  EXPECT_EQ(rules.version, 3);
  EXPECT_EQ(rules.source, "m.toml");
  EXPECT_EQ(rules.fingerprint.size(), 16u);
  ASSERT_EQ(rules.rules.size(), 2u);
  const MappingRule& a = rules.rules[0];
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.when, "operation=counting");
  EXPECT_EQ(a.target, (std::vector<std::string>{"math_subfield.counting_probability", "capability.worked_solution"}));
  EXPECT_EQ(a.weight, 0.5);
  EXPECT_FALSE(a.no_data);
  EXPECT_EQ(a.reason, "Why a.");
  EXPECT_EQ(a.line, 5);
  const MappingRule& b = rules.rules[1];
  EXPECT_TRUE(b.no_data);
  EXPECT_TRUE(b.target.empty());
  EXPECT_EQ(b.line, 12);
  EXPECT_NO_THROW(validate_against(rules, EvalTaxonomy::builtin(), corpus::builtin_data_taxonomy()));
}

TEST(MappingRulesParse, WeightDefaultsToOneAndAcceptsIntegers) {
  MappingRules rules = parse_mapping_rules(
      with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\"]\nreason = \"R.\"\n"
                "\n[[rules]]\nid = \"b\"\nwhen = \"operation=logic\"\ntarget = [\"capability.code\"]\nweight = 2\n"
                "reason = \"R.\"\n"),
      "m.toml");
  EXPECT_EQ(rules.rules[0].weight, 1.0);
  EXPECT_EQ(rules.rules[1].weight, 2.0);
}

TEST(MappingRulesParse, UnknownKeyNamesLineAndKey) {
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\"]\n"
                                  "reason = \"R.\"\nweigth = 2.0\n")),
            10, "weigth", "unknown key 'weigth'");
  expect_at(parse_error(kHeader + "rule = 1\n"), 4, "mapping.rule", "unknown key 'rule'");
  expect_at(parse_error(kHeader + "[rule]\nid = 1\n"), 4, "rule", "unknown top-level key 'rule'");
}

TEST(MappingRulesParse, MalformedTagsNameLineAndKey) {
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation:logic\"\ntarget = [\"capability.logical\"]\n"
                                  "reason = \"R.\"\n")),
            7, "when", "not an evaluation tag");
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=Logic\"\ntarget = [\"capability.logical\"]\n"
                                  "reason = \"R.\"\n")),
            7, "when", "not an evaluation tag");
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\n"
                                  "target = [\"capability__logical\"]\nreason = \"R.\"\n")),
            8, "target", "not a data tag");
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = \"capability.logical\"\n"
                                  "reason = \"R.\"\n")),
            8, "target", "must be a list");
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\", "
                                  "\"topic.literature\", \"format.faq\"]\nreason = \"R.\"\n")),
            8, "target", "one or two");
}

TEST(MappingRulesParse, SameAxisPairIsRejected) {
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\n"
                                  "target = [\"capability.logical\", \"capability.math\"]\nreason = \"R.\"\n")),
            8, "target", "same data axis 'capability'");
}

TEST(MappingRulesParse, MissingOrEmptyReasonIsRejected) {
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\"]\n")), 5,
            "reason", "missing 'reason'");
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\"]\n"
                                  "reason = \"  \"\n")),
            9, "reason", "'reason' is empty");
}

TEST(MappingRulesParse, InconsistentRulesAreRejected) {
  // Neither target nor no_data.
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\nreason = \"R.\"\n")), 5, "target",
            "missing 'target'");
  // no_data with a target.
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"output=integer\"\nno_data = true\n"
                                  "target = [\"capability.math\"]\nreason = \"R.\"\n")),
            9, "target", "takes no 'target'");
  // Weight not above 0, or not a number.
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\"]\n"
                                  "weight = 0\nreason = \"R.\"\n")),
            9, "weight", "above 0");
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\ntarget = [\"capability.logical\"]\n"
                                  "weight = \"high\"\nreason = \"R.\"\n")),
            9, "weight", "must be a number");
  // Duplicate id.
  expect_at(parse_error(with_rule("id = \"a\"\nwhen = \"output=integer\"\nno_data = true\nreason = \"R.\"\n"
                                  "\n[[rules]]\nid = \"a\"\nwhen = \"output=integer\"\nno_data = true\n"
                                  "reason = \"R.\"\n")),
            12, "id", "duplicate rule id 'a'");
  // Missing id / when.
  expect_at(parse_error(with_rule("when = \"output=integer\"\nno_data = true\nreason = \"R.\"\n")), 5, "id",
            "has no 'id'");
  expect_at(parse_error(with_rule("id = \"a\"\nno_data = true\nreason = \"R.\"\n")), 5, "when", "missing 'when'");
}

TEST(MappingRulesParse, HeaderAndSyntaxErrors) {
  expect_at(parse_error("[[rules]]\nid = \"a\"\n"), 1, "mapping", "missing [mapping]");
  expect_at(parse_error("[mapping]\nname = \"x\"\nversion = \"one\"\n"), 3, "mapping.version", "integer");
  Error e = parse_error(kHeader + "[[rules]]\nid = \"a\nwhen = 1\n");
  EXPECT_EQ(e.where().file, "m.toml");
  EXPECT_EQ(e.where().line, 5);
  EXPECT_NE(std::string(e.what()).find("invalid TOML"), std::string::npos);
}

TEST(MappingRulesValidate, UnknownDataTagNamesRuleLine) {
  expect_at(validation_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\n"
                                       "target = [\"capability.logical\", \"topic.astrology\"]\nreason = \"R.\"\n")),
            5, "target", "data tag 'topic.astrology' is not in data taxonomy");
  expect_at(validation_error(with_rule("id = \"a\"\nwhen = \"operation=logic\"\n"
                                       "target = [\"flavour.sweet\"]\nreason = \"R.\"\n")),
            5, "target", "'flavour.sweet'");
}

TEST(MappingRulesValidate, UnknownEvaluationTagNamesRuleLine) {
  expect_at(validation_error(with_rule("id = \"a\"\nwhen = \"operation=telepathy\"\n"
                                       "target = [\"capability.logical\"]\nreason = \"R.\"\n")),
            5, "when", "'telepathy' is not a value of axis 'operation'");
  expect_at(validation_error(with_rule("id = \"a\"\nwhen = \"benchmark=bbh\"\n"
                                       "target = [\"capability.logical\"]\nreason = \"R.\"\n")),
            5, "when", "not an axis of the evaluation taxonomy");
}

TEST(MappingRulesLoad, MissingFileIsAnIoError) {
  try {
    load_mapping_rules("/nonexistent/rules.toml");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.where().file, "/nonexistent/rules.toml");
  }
}

}  // namespace
}  // namespace caploop
