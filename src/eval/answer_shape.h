// Answer shape: the form of an answer regardless of its content, to tell "the model answers in another form"
// (a format change) from "the model answers wrongly" (a capability change).
//
// answer_shape() maps text to a signature: a run of letters becomes `L` (one capital letter), `C` (a
// capitalised word), `w` (a lower-case word) or `W` (other words: upper-case or mixed); a run of digits, with
// a directly preceding "-" and inner "." or ",", becomes `9`; any bracket "()[]{}<>" becomes `b`; white
// space is dropped; any other byte stays itself; then consecutive equal symbols collapse into one. So "(A)"
// -> "bLb", "-12" -> "9", "True" -> "C", "valid" -> "w", "] ) >" -> "b", "apple banana" -> "w", "A" -> "L",
// ": 24" -> ":9". has_reference_shape() is answer_shape(answer) == answer_shape(reference). Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caploop {

std::string answer_shape(std::string_view text);
bool has_reference_shape(std::string_view answer, std::string_view reference);

}  // namespace caploop
