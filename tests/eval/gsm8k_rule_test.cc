// The GSM8K rule against real data: OpenAI's example model solutions (four models x 1,319 test questions)
// carry an is_correct flag; re-scoring each solution with "gsm8k" against ground_truth must agree on at
// least 99% of the 5,276 responses. The disagreements are explained in tests/fixtures/gsm8k_disagreements.md.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <string>

#include "eval/rule_registry.h"
#include "test_support.h"

namespace caploop {
namespace {

TEST(Gsm8kRuleDataTest, AgreesWithPublishedIsCorrectFlags) {
  REQUIRE_SHARED_DATA();
  const ScoringRule& rule = rule_or_throw("gsm8k");
  const auto path = testing::shared_data_dir() / "gsm8k" / "example_model_solutions.jsonl";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path.string());
  simdjson::ondemand::document_stream docs = parser.iterate_many(json);
  const char* models[] = {"6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"};
  size_t total = 0, agree = 0, lines = 0;
  size_t disagree_published_true = 0, disagree_published_false = 0;
  for (auto doc_result : docs) {
    simdjson::ondemand::document_reference doc = doc_result.value();
    ++lines;
    std::string truth{std::string_view(doc["ground_truth"])};
    for (const char* model : models) {
      simdjson::ondemand::object m = doc[model].get_object();
      std::string solution{std::string_view(m["solution"])};
      bool published = bool(m["is_correct"]);
      bool ours = rule.score(solution, truth).correct;
      ++total;
      if (ours == published) {
        ++agree;
      } else if (published) {
        ++disagree_published_true;
      } else {
        ++disagree_published_false;
      }
    }
  }
  EXPECT_EQ(lines, 1319u);
  EXPECT_EQ(total, 4u * 1319u);
  std::printf("[gsm8k] agreement %zu/%zu (%.2f%%); disagreements: %zu published-correct, %zu published-wrong\n", agree,
              total, 100.0 * static_cast<double>(agree) / static_cast<double>(total), disagree_published_true,
              disagree_published_false);
  EXPECT_GE(static_cast<double>(agree), 0.99 * static_cast<double>(total));
}

}  // namespace
}  // namespace caploop
