// Numbers in answers: parsing "$1,234.50"-style tokens, finding them in free text, comparing them.
//
// Contract: pure functions, thread-safe, no allocation except where a std::string is returned.
// A number token is: an optional "-" (or "+"), an optional "$", digits with optional thousands commas
// ("1,234,567"), an optional decimal part ("3.25"), e.g. "-$1,200.50". Parsing strips white space,
// "$", thousands commas and trailing "." characters; anything else makes the text "not a number".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace caploop {

struct NumberToken {
  size_t begin = 0;  // byte span of the token in the scanned text
  size_t end = 0;
  double value = 0.0;
};

// The whole of `text` (after trimming) as a number, or nullopt. "18", "18.0", "18.", "$18", "1,800",
// "-3.5" parse; "18 apples", "1/2", "" do not.
std::optional<double> parse_plain_number(std::string_view text);

// The number token that starts exactly at `pos` (after an optional sign and "$"), or nullopt.
std::optional<NumberToken> number_token_at(std::string_view text, size_t pos);

// The last number token in `text` (scanning left to right, tokens do not overlap), or nullopt.
std::optional<NumberToken> find_last_number(std::string_view text);

// Canonical text of a number: integral values without a decimal point ("18"), others in the shortest form
// that reads back to the same double ("0.125").
std::string format_number(double v);

// a == b within a relative tolerance (absolute near zero).
bool numbers_close(double a, double b, double relative_tolerance = 1e-9);

}  // namespace caploop
