// Hendrycks et al.'s MATH answer normalisation (strip_string from the MATH repository's math_equivalence.py),
// reimplemented step by step.
//
// Contract: pure, thread-safe. hendrycks_strip_string() returns nullopt exactly where the published Python
// would raise an exception (e.g. more than one "\text{ " in the answer, "\frac" or "\sqrt" at the very
// end); is_equiv() then falls back, like the original, to comparing the raw strings. The steps, in order,
// are listed in docs/scoring-rules.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caploop {

std::optional<std::string> hendrycks_strip_string(std::string_view answer);

// The published is_equiv(): strip both and compare; if stripping fails for either, compare raw strings.
bool hendrycks_is_equiv(std::string_view a, std::string_view b);

}  // namespace caploop
