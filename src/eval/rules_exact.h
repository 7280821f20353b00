// Exact-match rules: "exact" (white space stripped at both ends, then byte equality) and "exact-ci"
// (case-insensitive, punctuation at both ends removed, inner white space collapsed). The default rule for
// benchmarks without a dedicated one.
//
// Contract: see eval/scoring_rule.h (pure, thread-safe). The whole response is the answer statement.
#pragma once

#include <memory>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_exact_rules();

}  // namespace caploop
