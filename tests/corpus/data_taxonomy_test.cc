// The data taxonomy file: the built-in one declares the axes
// the mapping rules rely on, and malformed files fail with file, line and key.
#include "corpus/data_taxonomy.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "corpus/builtin_taxonomy.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

using caploop::testing::expect_error;
using caploop::testing::read_file;
using caploop::testing::source_dir;

TEST(DataTaxonomy, BuiltInDeclaresWebOrganizerAxesAndCapabilityTags) {
  DataTaxonomy t = builtin_data_taxonomy();
  EXPECT_EQ(t.name, "caploop-data");
  auto axis = [&](const std::string& name) -> const Axis& {
    for (const auto& a : t.axes)
      if (a.name == name) return a;
    ADD_FAILURE() << "no axis " << name;
    return t.axes.front();
  };
  EXPECT_EQ(axis("topic").tags.size(), 24u);   // WebOrganizer's 24 topic domains
  EXPECT_EQ(axis("format").tags.size(), 24u);  // and 24 formats
  EXPECT_TRUE(axis("topic").exclusive);
  for (const char* tag :
       {"math_subfield.number_theory", "math_subfield.counting_probability", "math_subfield.intermediate_algebra",
        "math_operation.modular_arithmetic", "math_operation.induction_proof", "capability.worked_solution",
        "capability.code", "latex.high", "quality.gopher_pass", "source.academic"})
    EXPECT_TRUE(t.find_tag(tag).has_value()) << tag;
  // Every tag of topic and math_subfield has a rule, so rules alone can assign all of them.
  for (const char* name : {"topic", "math_subfield"}) {
    const Axis& a = axis(name);
    for (const auto& tag : a.tags) {
      auto ref = t.find_tag(std::string(name) + "." + tag);
      bool has_rule = false;
      for (const auto& r : t.rules) has_rule |= r.tag == *ref;
      EXPECT_TRUE(has_rule) << name << "." << tag;
    }
  }
  EXPECT_EQ(t.fingerprint.size(), 16u);
}

Error parse_error(const std::string& text) {
  return expect_error([&] { parse_data_taxonomy(text, "bad.toml"); }, "input:\n" + text);
}

const char* kHeader =
    "[taxonomy]\nname = \"t\"\nversion = 1\n[[axes]]\nname = \"topic\"\nexclusive = true\n"
    "tags = [\"math\", \"other\"]\n";

TEST(DataTaxonomy, UnknownKeyNamesFileLineAndKey) {
  Error e = parse_error(std::string(kHeader) + "[[rules]]\ntag = \"topic.math\"\nkeywords = [\"x\"]\nthreshold = 3\n");
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "bad.toml");
  EXPECT_EQ(e.where().line, 11);
  EXPECT_EQ(e.where().field, "rules[0].threshold");
}

TEST(DataTaxonomy, UndeclaredTagIsRejected) {
  Error e = parse_error(std::string(kHeader) + "[[rules]]\ntag = \"topic.physics\"\nkeywords = [\"x\"]\n");
  EXPECT_EQ(e.where().line, 9);
  EXPECT_EQ(e.where().field, "rules[0].tag");
  EXPECT_NE(e.message().find("topic.physics"), std::string::npos);
}

TEST(DataTaxonomy, BadRegexIsRejectedWithPcreMessage) {
  Error e = parse_error(std::string(kHeader) + "[[rules]]\ntag = \"topic.math\"\nregexes = ['(unclosed']\n");
  EXPECT_EQ(e.where().field, "rules[0].regexes");
  EXPECT_EQ(e.where().line, 10);
  EXPECT_NE(e.message().find("missing closing parenthesis"), std::string::npos) << e.message();
}

TEST(DataTaxonomy, KeywordWeightsMustNameTheRulesKeywordsWithPositiveWeights) {
  Error e = parse_error(std::string(kHeader) +
                        "[[rules]]\ntag = \"topic.math\"\nkeywords = [\"x\"]\nkeyword_weights = { y = 2 }\n");
  EXPECT_EQ(e.where().field, "rules[0].keyword_weights");
  EXPECT_NE(e.message().find("'y' is not one of the rule's keywords"), std::string::npos) << e.message();
  e = parse_error(std::string(kHeader) +
                  "[[rules]]\ntag = \"topic.math\"\nkeywords = [\"x\"]\nkeyword_weights = { x = -1 }\n");
  EXPECT_NE(e.message().find("positive"), std::string::npos) << e.message();
  DataTaxonomy t = parse_data_taxonomy(std::string(kHeader) +
                                           "[[rules]]\ntag = \"topic.math\"\nkeywords = [\"X\", \"y\"]\n"
                                           "keyword_weights = { X = 2.5 }\n",
                                       "ok.toml");
  EXPECT_EQ(t.pattern_groups[0].keyword_weights, (std::vector<double>{2.5, 1.0}));
}

TEST(DataTaxonomy, UnknownMetricAndWrongTypesAreRejected) {
  Error e =
      parse_error(std::string(kHeader) + "[[heuristics]]\ntag = \"topic.other\"\nall = [[\"wordz\", \"<\", 3]]\n");
  EXPECT_EQ(e.where().field, "heuristics[0].all");
  EXPECT_NE(e.message().find("unknown metric 'wordz'"), std::string::npos);
  Error w =
      parse_error(std::string(kHeader) + "[[rules]]\ntag = \"topic.math\"\nkeywords = [\"x\"]\nweight = \"high\"\n");
  EXPECT_EQ(w.where().field, "rules[0].weight");
  Error s = parse_error("[taxonomy]\nname = \"t\"\n[[axes]\n");
  EXPECT_EQ(s.where().file, "bad.toml");
  EXPECT_EQ(s.where().line, 3);
}

TEST(DataTaxonomy, RequiresMustPointToAnEarlierAxis) {
  std::string text = std::string(kHeader) +
                     "[[axes]]\nname = \"later\"\ntags = [\"a\"]\n"
                     "[[rules]]\ntag = \"topic.math\"\nkeywords = [\"x\"]\nrequires = \"later.a\"\n";
  Error e = parse_error(text);
  EXPECT_EQ(e.where().field, "rules[0].requires");
}

}  // namespace
}  // namespace caploop::corpus
