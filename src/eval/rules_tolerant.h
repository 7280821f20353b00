// Normalisation-tolerant re-scoring: is the right answer there, only written in another form? The diagnosis
// uses it to tell a change of answer form (brackets dropped, a colon added, other case) from a wrong answer.
//
// tolerant_form(): ASCII letters lower-cased and digits kept, everything else (brackets, punctuation, white
// space, other bytes) removed: "(B)" -> "b", ": True." -> "true", "-12" -> "12".
// answer_options_of(prompt): the labelled choices of the prompt's LAST "Options:" block, one per following
// line "(X) text" (BIG-Bench Hard's layout); empty when the prompt has none.
// tolerant_correct(): the response's candidate answers are (1) the reference rule's extracted answer and
// (2) the rest of the line after the LAST "answer is" (any case; a following ":" or white space is part of
// the form and removed). A candidate matches when its tolerant form is non-empty and equals the reference's;
// when the reference is an option label "(X)" of `options`, also when it equals the tolerant form of option
// X's text; when the reference is an option's text, also when it is that option's letter. A reference made
// only of brackets (a Dyck sequence; its tolerant form is empty) matches a candidate with the same brackets.
// make_tolerant_rules() returns the rule "tolerant" (version 1): the same test without options, for
// `--rule tolerant`. Pure functions and rules; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eval/scoring_rule.h"

namespace caploop {

struct AnswerOption {
  char label = 'A';  // 'A'..'Z'
  std::string text;  // as written, trimmed
};

std::string tolerant_form(std::string_view text);
std::vector<AnswerOption> answer_options_of(std::string_view prompt);
bool tolerant_correct(std::string_view response, std::string_view reference, const Extraction& reference_extraction,
                      const std::vector<AnswerOption>& options);

std::vector<std::unique_ptr<ScoringRule>> make_tolerant_rules();

}  // namespace caploop
