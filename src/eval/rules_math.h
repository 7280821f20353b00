// MATH-style rules: "math" (last \boxed{} + Hendrycks' strip_string + numeric/list equivalence; the default
// for math, minerva_math, aime and amc), "math-first" (first \boxed{}) and "math-minerva" (Minerva's
// "Final Answer: The final answer is X. I hope it is correct." + normalize_final_answer).
//
// Contract: see eval/scoring_rule.h (pure, thread-safe). References may be a bare answer ("\frac{1}{2}")
// or a full solution: when the reference contains a \boxed{} (or \fbox{}), its last box is the answer.
// Extraction.answer holds the normalised answer (the raw box content when Hendrycks' normalisation would
// raise, as the original then compares raw strings). n_statements counts top-level boxes (or, for
// math-minerva, "Final Answer" statements).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_math_rules();

// The answer part of a MATH reference: the content of its last \boxed{} / \fbox{}, else the trimmed text.
std::string_view math_reference_answer(std::string_view reference);

}  // namespace caploop
