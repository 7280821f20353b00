// The MATH rule against real data: Qwen2.5-Math's released evaluation example (100 MATH problems x 8
// sampled CoT responses, each with the harness's own `score` flag). Re-scoring each response with "math"
// against `gt` must agree with the flags on at least 98% of the 800 responses.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <string>
#include <vector>

#include "eval/rule_registry.h"
#include "test_support.h"

namespace caploop {
namespace {

TEST(MathRuleDataTest, AgreesWithQwenScoreFlags) {
  REQUIRE_SHARED_DATA();
  const ScoringRule& rule = rule_or_throw("math");
  const auto path = testing::shared_data_dir() / "model_outputs" / "qwen25math_math_cot_100" / "math_cot_100.jsonl";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path.string());
  simdjson::ondemand::document_stream docs = parser.iterate_many(json);
  size_t total = 0, agree = 0, items = 0;
  for (auto doc_result : docs) {
    simdjson::ondemand::document_reference doc = doc_result.value();
    ++items;
    std::string gt{std::string_view(doc["gt"])};
    std::vector<std::string> code;
    for (auto c : doc["code"].get_array()) code.emplace_back(std::string_view(c));
    std::vector<bool> flags;
    for (auto s : doc["score"].get_array()) flags.push_back(bool(s));
    ASSERT_EQ(code.size(), flags.size());
    for (size_t i = 0; i < code.size(); ++i) {
      ++total;
      bool ours = rule.score(code[i], gt).correct;
      if (ours == flags[i]) {
        ++agree;
      } else {
        std::printf("[math] disagree item %zu sample %zu: published %d, ours %d, extracted '%s', gt '%s'\n", items - 1,
                    i, int(flags[i]), int(ours), rule.extract(code[i]).answer.c_str(), gt.c_str());
      }
    }
  }
  EXPECT_EQ(items, 100u);
  EXPECT_EQ(total, 800u);
  std::printf("[math] agreement %zu/%zu (%.2f%%)\n", agree, total,
              100.0 * static_cast<double>(agree) / static_cast<double>(total));
  EXPECT_GE(static_cast<double>(agree), 0.98 * static_cast<double>(total));
}

}  // namespace
}  // namespace caploop
