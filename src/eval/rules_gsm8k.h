// GSM8K rules: "gsm8k" (the answer statement "#### N", "The answer is N", an "A: N" or "ANSWER: N" line, or
// "\boxed{N}") and
// "gsm8k-lenient" (the last number anywhere).
//
// Contract: see eval/scoring_rule.h (pure, thread-safe, literal scanning, no regex). Numbers are compared
// numerically after removing "$", thousands commas and trailing "." (18 == 18.0 == $18.00). A reference
// is read the same way as a response: a full GSM8K solution ending in "#### 18" (or "A: 18") yields 18;
// otherwise the whole reference must be a number.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_gsm8k_rules();

// The number a GSM8K reference stands for: from its answer statement, else the whole text; nullopt if none.
std::optional<double> gsm8k_reference_value(std::string_view reference);

}  // namespace caploop
