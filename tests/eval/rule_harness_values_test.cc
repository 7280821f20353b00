// ScoringRule::reads_harness_values(): callers that score many responses read the harness's filtered values and
// per-record metrics from storage only for rules that declare they use them. A rule that reads them without
// saying so would silently score differently there: every registered rule (and a "harness:" rule) is scored with
// and without such evidence, and where the score changes the rule must declare it.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/loglikelihood_choices.h"
#include "eval/rule_registry.h"

namespace caploop {
namespace {

bool same(const Score& a, const Score& b) {
  return a.correct == b.correct && a.extraction.found == b.extraction.found &&
         a.extraction.answer == b.extraction.answer && a.extraction.n_statements == b.extraction.n_statements;
}

TEST(RuleHarnessValuesTest, RulesThatScoreDifferentlyWithHarnessValuesDeclareIt) {
  // (response, reference) pairs; the evidence names the second choice and says the harness found it correct
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"The answer is (B).", "(A)"}, {" 42", "7"}, {"So the answer is False.", "True"}, {"", "blue"}};
  const std::vector<std::pair<std::string, std::string>> filtered = {
      {std::string(kLoglikelihoodsFilter), encode_loglikelihood_choices({{"red", -3.0}, {"blue", -0.5}})},
      {"strict-match", "B"},
      {"none", "blue"}};
  const std::vector<std::pair<std::string, double>> metrics = {
      {"exact_match,strict-match", 1.0}, {"acc,none", 1.0}, {"exact_match,none", 1.0}};
  std::vector<const ScoringRule*> rules = all_rules();
  rules.push_back(&rule_or_throw("harness:exact_match,none"));
  size_t declared = 0, differing = 0;
  for (const ScoringRule* rule : rules) {
    bool differs = false;
    for (const auto& [response, reference] : cases) {
      ResponseEvidence bare{response, reference, nullptr, nullptr};
      ResponseEvidence full{response, reference, &filtered, &metrics};
      differs = differs || !same(rule->score_evidence(bare), rule->score_evidence(full));
    }
    declared += rule->reads_harness_values() ? 1 : 0;
    differing += differs ? 1 : 0;
    if (differs) {
      EXPECT_TRUE(rule->reads_harness_values()) << rule->name() << " reads harness values undeclared";
    }
  }
  EXPECT_GE(differing, 2u);  // the check itself sees the rules that do read them (log-likelihood, harness:)
  EXPECT_GE(declared, differing);
}

}  // namespace
}  // namespace caploop
