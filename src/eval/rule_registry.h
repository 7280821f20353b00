// The registry of built-in scoring rules, and which rule each benchmark uses by default.
//
// Contract: rules are created once and live for the program's lifetime; returned pointers never dangle.
// find_rule() also knows "harness:<metric>,<filter>" (eval/rules_harness.h) and returns nullptr for an unknown name;
// rule_or_throw() throws Error(kNotFound) listing the known names. default_rule_for(benchmark) returns the rule a
// summary uses when the user names none (bbh -> "bbh", gsm8k -> "gsm8k", math/minerva_math/aime/amc -> "math", anything
// else -> "exact"). Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

const ScoringRule* find_rule(std::string_view name);
const ScoringRule& rule_or_throw(std::string_view name);
const std::vector<const ScoringRule*>& all_rules();
std::string_view default_rule_name_for(std::string_view benchmark);

// The default rule for one task, the harness's way: by the harness's own task name when known
// (lm-eval: gsm8k* -> gsm8k-lm-eval-flexible, leaderboard_bbh_* -> mc-loglikelihood-norm, mmlu_* ->
// mc-loglikelihood, minerva_math*/leaderboard_math_* -> math-minerva, hendrycks_math* -> math-dollar, aime* ->
// math-aime, ...), else by benchmark. "" when caploop has no rule for it: the caller then uses the harness's
// logged metric (rules_harness.h) or, without one, "exact".
std::string_view default_rule_name_for_task(std::string_view benchmark, std::string_view harness_task);

// The lenient variant of a reference rule (accepts more answer forms), and its first-answer variant (reads the
// first answer statement instead of the last), used by the diagnosis to measure how much of a loss re-scoring
// recovers. A rule without such a variant maps to itself.
std::string_view lenient_rule_name_for(std::string_view reference_rule);
std::string_view first_answer_rule_name_for(std::string_view reference_rule);

}  // namespace caploop
