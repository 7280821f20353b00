// Multiple-choice letter rules: "mc-letter" (strict: an "answer is (X)" / "answer is X" statement) and
// "mc-letter-lenient" (falls back to the last "(X)", then the last standalone capital A-J).
//
// Contract: see eval/scoring_rule.h (pure, thread-safe). Letters are A-J. Extraction yields the bare letter
// ("B"); references "(B)", "B", "b" or "(B)." all mean B. Literal scanning only, no regex.
#pragma once

#include <memory>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

std::vector<std::unique_ptr<ScoringRule>> make_choice_rules();

}  // namespace caploop
