// Equivalence of normalised math answers beyond string equality: numbers written differently
// (fractions, decimals, integers, thousands commas) and simple tuples, intervals and sets element-wise.
//
// Contract: pure, thread-safe. Inputs are answers already normalised by a rule (spaces removed by
// Hendrycks' strip_string, or Minerva's normalisation). Numbers compare with a relative tolerance of 1e-6.
// Recognised numeric forms: "12", "-3.5", "1,000", ".5", "\frac{a}{b}" (a, b numeric, also "-\frac..."),
// "a/b", a trailing "%" ("50%" is 50). Bracketed lists compare element-wise in order and need the same
// brackets ("(1,2]" is not "(1,2)"); "\{...\}" sets and unbracketed lists ("1,3") may be in any order.
// Anything else (symbols, radicals, expressions) is equivalent only when the strings are equal.
#pragma once

#include <optional>
#include <string_view>

namespace caploop {

// The numeric value of a normalised answer, or nullopt when it is not a plain number or fraction.
std::optional<double> math_numeric_value(std::string_view answer);

bool math_answers_equivalent(std::string_view a, std::string_view b);

}  // namespace caploop
