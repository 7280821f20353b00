// ScoreText: writes a tag score exactly as fmt's "{:.6g}" writes it (six significant digits, round half to even
// on the double's exact value, trailing zeros dropped, exponent form below 1e-4 and from 1e6), without fmt's
// general float formatting for the common case: a score from 1e-4 up to 1e6 whose seventh digit onwards is
// clearly not a tie is scaled by an exact power of ten and rounded as an integer; anything else (ties within
// the scaling error, other magnitudes, negative, zero, not finite) goes to fmt.
//
// Contract: append_score_text(out, v) appends the same bytes as fmt::format("{:.6g}", v) for every double v.
#pragma once

#include <string>

namespace caploop::corpus {

void append_score_text(std::string& out, double v);

}  // namespace caploop::corpus
