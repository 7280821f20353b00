// An answer boxed twice ("... \boxed{x}. To verify, ... \boxed{x}") is one answer restated, not running on;
// several DIFFERENT answer statements still are. Checked on synthetic cases and on the real Qwen2.5-Math MATH
// responses (800), with the real "math" rule's extraction.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <iostream>
#include <set>
#include <string>
#include <string_view>

#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "test_support.h"

namespace caploop {
namespace {

Ending classify_with_math_rule(std::string_view text) {
  EndingInput in;
  in.text = text;
  return classify_ending(in, rule_or_throw("math").extract(text));
}

// The contents of every \boxed{...} (balanced braces), found independently of the rule.
std::set<std::string> boxed_contents(std::string_view text, size_t& count) {
  std::set<std::string> out;
  count = 0;
  for (size_t p = text.find("\\boxed{"); p != std::string_view::npos; p = text.find("\\boxed{", p + 1)) {
    size_t i = p + 7;
    int depth = 1;
    while (i < text.size() && depth > 0) {
      depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
      ++i;
    }
    if (depth != 0) continue;
    ++count;
    out.insert(std::string(text.substr(p + 7, i - 1 - (p + 7))));
  }
  return out;
}

TEST(EndingBoxedTwice, TheSameAnswerBoxedAgainToVerifyIsNotRunningOn) {
  const Ending twice = classify_with_math_rule(
      "So $x = 7$, i.e. $\\boxed{7}$. To verify, substitute back: $2 \\cdot 7 - 3 = 11$. \\boxed{7}");
  EXPECT_FALSE(twice.ran_on);
  EXPECT_EQ(twice.kind, EndingKind::kStopped);
  const Ending different = classify_with_math_rule("So $x = 7$, $\\boxed{7}$. Wait, actually $\\boxed{8}$.");
  EXPECT_TRUE(different.ran_on);
  EXPECT_EQ(different.kind, EndingKind::kRanOn);
  // The same answer restated but followed by a new turn is still running on.
  const Ending new_turn = classify_with_math_rule("$\\boxed{7}$. Check: \\boxed{7}\n\nProblem: Find y.");
  EXPECT_EQ(new_turn.kind, EndingKind::kRanOn);
}

TEST(EndingBoxedTwice, RealMathResponsesBoxingOneAnswerTwiceAreNotRunningOn) {
  REQUIRE_SHARED_DATA();
  const auto path = testing::shared_data_dir() / "model_outputs/qwen25math_math_cot_100/math_cot_100.jsonl";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path.string()).value();
  simdjson::ondemand::document_stream docs = parser.iterate_many(json).value();
  size_t restated = 0, restated_ran_on = 0, differing = 0, differing_ran_on = 0;
  for (auto doc : docs) {
    simdjson::ondemand::array code = doc["code"].get_array().value();
    for (auto r : code) {
      const std::string_view text = r.get_string().value();
      size_t count = 0;
      const std::set<std::string> contents = boxed_contents(text, count);
      if (count < 2) continue;
      const bool ran_on = classify_with_math_rule(text).ran_on;
      if (contents.size() == 1) {
        ++restated;
        restated_ran_on += ran_on;
      } else {
        ++differing;
        differing_ran_on += ran_on;
      }
    }
  }
  std::cout << "[ figures  ] Qwen2.5-Math: " << restated << " responses box one answer several times ("
            << restated_ran_on << " ran_on), " << differing << " box different answers (" << differing_ran_on
            << " ran_on)\n";
  EXPECT_GE(restated, 5u);
  EXPECT_EQ(restated_ran_on, 0u);
  EXPECT_GE(differing, 5u);
  EXPECT_EQ(differing_ran_on, differing);
}

}  // namespace
}  // namespace caploop
