// The embedded copies of the built-in taxonomy and rules equal the files in data/taxonomy byte for byte.
#include "taxonomy/builtin_files.h"

#include <gtest/gtest.h>

#include "taxonomy/tag_rules.h"
#include "test_support.h"

namespace caploop {
namespace {

TEST(BuiltinFiles, EmbeddedTextEqualsDataFiles) {
  const auto dir = testing::source_dir() / "data" / "taxonomy";
  const char* hint = "run `python3 src/taxonomy/embed_builtin_files.py` from the project root";
  EXPECT_TRUE(testing::read_file(dir / "eval_taxonomy.toml") == builtin_eval_taxonomy_toml()) << hint;
  EXPECT_TRUE(testing::read_file(dir / "eval_rules.toml") == builtin_eval_rules_toml()) << hint;
}

TEST(BuiltinFiles, BuiltinRulesLoadAgainstBuiltinTaxonomy) {
  const TagRuleSet& rules = TagRuleSet::builtin();
  EXPECT_GT(rules.rules().size(), 100u);
  EXPECT_EQ(&rules.taxonomy(), &EvalTaxonomy::builtin());
}

}  // namespace
}  // namespace caploop
