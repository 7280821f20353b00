// UTF-8 validity: what the writers of JSON and HTML use to never emit invalid UTF-8.
//
// Contract: utf8_sequence_length() is the length (1-4) of the well-formed UTF-8 sequence starting at s[i]
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the byte there does not start
// one. repair_utf8() copies `s` with each byte that does not start a well-formed sequence replaced by U+FFFD;
// valid input comes back unchanged. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caploop {

size_t utf8_sequence_length(std::string_view s, size_t i);
std::string repair_utf8(std::string_view s);
// Appends the well-formed sequence at s[i] to `out`, or U+FFFD for a byte that starts none; returns the index
// after what it consumed. The one step repair_utf8() and the JSON writer share.
size_t append_repaired_utf8(std::string& out, std::string_view s, size_t i);

}  // namespace caploop
