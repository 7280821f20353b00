// The BIG-Bench Hard scoring rules: "bbh" (the reference rule of the BBH paper's released outputs),
// "bbh-first", and lm-evaluation-harness's "bbh-lm-eval-strict" and "bbh-lm-eval-flexible" filters.
//
// Contract: see eval/scoring_rule.h (pure, thread-safe). make_bbh_rules() returns fresh rule objects; the
// registry (eval/rule_registry.h) owns them. The reference rule uses literal string_view searches only
// (it runs over millions of responses); the lm-eval rules use PCRE2 (compiled once per rule object).
// docs/scoring-rules.md documents every rule's exact behaviour and sources.
#pragma once

#include <memory>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_bbh_rules();

}  // namespace caploop
