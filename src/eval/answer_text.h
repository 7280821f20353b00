// Small text helpers shared by the scoring rules: trimming, literal searches and ASCII case handling.
//
// Contract: pure functions over bytes (std::string_view in, views into the same buffer or new strings
// out). White space means ASCII " \t\n\r\f\v"; case folding is ASCII-only, so bytes >= 0x80 (UTF-8,
// valid or not) pass through untouched. Nothing here allocates unless it returns a std::string.
// Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caploop {

constexpr size_t kNotFound = std::string_view::npos;

// Character classes, inline because every rule calls them per byte.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_alnum(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);
// Drops a single trailing "." (not several), e.g. "(B)." -> "(B)", "1.." -> "1.".
std::string_view strip_one_trailing_period(std::string_view s);

std::string lower_ascii(std::string_view s);
inline bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
  }
  return true;
}

// Literal searches. find_ignore_case returns kNotFound when absent.
size_t find_ignore_case(std::string_view haystack, std::string_view needle, size_t from = 0);
size_t rfind_ignore_case(std::string_view haystack, std::string_view needle);
size_t count_occurrences(std::string_view haystack, std::string_view needle);
size_t count_occurrences_ignore_case(std::string_view haystack, std::string_view needle);

// True when [begin, end) in `text` is not glued to letters or digits on either side (a whole word).
bool is_whole_word(std::string_view text, size_t begin, size_t end);

// Position just past the end of the line that contains `pos` (the index of '\n', or text.size()).
size_t end_of_line(std::string_view text, size_t pos);

// Replaces every occurrence of `from` (non-empty) with `to`, left to right, like Python's str.replace.
std::string replace_all_literal(std::string_view text, std::string_view from, std::string_view to);

// Lower-cases, removes punctuation at both ends and collapses inner runs of white space to one space.
std::string fold_for_loose_compare(std::string_view s);

}  // namespace caploop
