// The "harness:<metric>,<filter>" rules: a response is judged by the per-record metric its harness logged
// (lm-eval's "exact_match,strict-match", "acc_norm,none"), for tasks caploop has no rule of its own for.
//
// Contract: make_harness_metric_rule(name) returns a rule for a name "harness:<metric>" (nullptr otherwise). The
// rule is correct when the response carries that metric with a value >= 0.5 (the harness's 0/1 per record);
// a response without it (or NaN) has no answer. Its answer is the value the harness's filter extracted, when
// logged. Pure and thread-safe like every rule; from text alone it finds nothing.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "eval/scoring_rule.h"

namespace caploop {

inline constexpr std::string_view kHarnessRulePrefix = "harness:";

std::unique_ptr<ScoringRule> make_harness_metric_rule(std::string_view name);

}  // namespace caploop
