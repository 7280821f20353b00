// The built-in taxonomy and rules (embedded from data/taxonomy at build time) load and fit together.
#include "taxonomy/builtin_files.h"

#include <gtest/gtest.h>

#include "taxonomy/tag_rules.h"
#include "test_support.h"

namespace caploop {
namespace {

TEST(BuiltinFiles, BuiltinRulesLoadAgainstBuiltinTaxonomy) {
  const TagRuleSet& rules = TagRuleSet::builtin();
  EXPECT_GT(rules.rules().size(), 100u);
  EXPECT_EQ(&rules.taxonomy(), &EvalTaxonomy::builtin());
}

}  // namespace
}  // namespace caploop
