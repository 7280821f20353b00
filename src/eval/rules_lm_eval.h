// Rules that reproduce lm-evaluation-harness's own scoring of a task family, named after it:
//   gsm8k-lm-eval-strict / gsm8k-lm-eval-flexible  the gsm8k task's "strict-match" and "flexible-extract"
//       filters (regex, take_first) and its exact_match (regexes_to_ignore ",", "$", ".*#### ", "\.$"; ignore case);
//   gsm8k-cot-lm-eval-strict  gsm8k_cot's "strict-match" ("The answer is N.");
//   math-dollar   hendrycks_math: the text between the first and the last "$" (the whole response when it has
//       fewer than two), compared with Hendrycks' is_equiv (strip_string, then string equality);
//   math-aime     aime24/aime25: as math-dollar, but the last \boxed{} wins when there is one;
//   mc-loglikelihood / mc-loglikelihood-norm  multiple choice by log-likelihood: the choice with the highest
//       log-likelihood (acc), or the highest log-likelihood divided by the choice's length in characters
//       (acc_norm), against the target (a choice index, or the choice's text).
//
// Contract: see eval/scoring_rule.h; each rule names the harness metric it reproduces (harness_metric()). The
// multiple-choice rules read the "loglikelihoods" filter value (core/loglikelihood_choices.h) through
// score_evidence(); from text alone they compare the whole trimmed response with the reference.
#pragma once

#include <memory>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_lm_eval_rules();

}  // namespace caploop
