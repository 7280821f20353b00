#include "eval/rule_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/error.h"

namespace caploop {
namespace {

TEST(RuleRegistryTest, EveryRuleHasAUniqueNameVersionAndDescription) {
  std::set<std::string> names;
  for (const ScoringRule* r : all_rules()) {
    EXPECT_TRUE(names.insert(std::string(r->name())).second) << r->name();
    // gsm8k v2 reads Inspect's "ANSWER: N" line; every other rule is at its first version.
    EXPECT_EQ(r->version(), r->name() == "gsm8k" ? 2 : 1) << r->name();
    EXPECT_GT(r->description().size(), 60u) << r->name();
    EXPECT_EQ(find_rule(r->name()), r);
  }
  for (const char* expected :
       {"bbh", "bbh-first", "bbh-lm-eval-strict", "bbh-lm-eval-flexible", "mc-letter", "mc-letter-lenient", "yes-no",
        "true-false", "label", "gsm8k", "gsm8k-lenient", "math", "math-first", "math-minerva", "exact", "exact-ci"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
}

TEST(RuleRegistryTest, UnknownNameListsKnownRules) {
  EXPECT_EQ(find_rule("nope"), nullptr);
  try {
    rule_or_throw("nope");
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(e.message().find("'nope'"), std::string::npos);
    EXPECT_NE(e.message().find("gsm8k-lenient"), std::string::npos);
  }
}

TEST(RuleRegistryTest, DefaultRulesPerBenchmark) {
  EXPECT_EQ(default_rule_name_for("bbh"), "bbh");
  EXPECT_EQ(default_rule_name_for("gsm8k"), "gsm8k");
  for (const char* b : {"math", "minerva_math", "aime", "amc"}) EXPECT_EQ(default_rule_name_for(b), "math");
  EXPECT_EQ(default_rule_name_for("mmlu"), "exact");
  EXPECT_EQ(default_rule_name_for(""), "exact");
  for (const char* b : {"bbh", "gsm8k", "math", "mmlu"}) EXPECT_NE(find_rule(default_rule_name_for(b)), nullptr);
}

}  // namespace
}  // namespace caploop
