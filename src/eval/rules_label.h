// Binary-label rules: "yes-no", "true-false" and "label" (any of yes/no, true/false, valid/invalid).
//
// Contract: see eval/scoring_rule.h (pure, thread-safe). Labels match case-insensitively as whole words.
// When the response has an "answer is" statement, the first label after the last such statement (on the
// same line) is the answer; otherwise the last label anywhere in the text. The answer is the lower-case
// label; the reference is compared case-insensitively after trimming white space and one trailing ".".
#pragma once

#include <memory>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_label_rules();

}  // namespace caploop
