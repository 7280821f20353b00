// SequenceRegex: a small matcher for the regexes that are a plain sequence of character classes and literals,
// each with a quantifier (`\d++\s*+[-+*/x\x{00d7}]\s*+\d++\s*+=`, `<<[^>\n]{1,80}>>`, `=\s*\$?-?\d`), used by
// PatternScanner instead of a PCRE2 call for the attempts at a candidate position (PCRE2 costs ~110
// instructions per call before it reads a byte).
//
// Contract: compile() accepts a regex only when this matcher gives exactly PCRE2's anchored match (multi-line,
// UTF, PCRE2_MATCH_INVALID_UTF, no PCRE2_UCP) at every position: every item is a single-character class, escape
// or literal; each quantifier is possessive, or greedy where giving characters back could never let the rest
// match (the item's class shares no character with what the rest of the regex can start with, so the first,
// longest choice is the only one that can succeed); no alternation, groups, anchors, assertions, `.` or lazy
// quantifiers; at least one character. Which characters below U+0100 a class holds is asked of PCRE2 itself
// (one anchored match per character), and the rest is checked against PCRE2 on sample characters; anything else
// makes compile() return nullopt, and the caller keeps PCRE2. Invalid UTF-8 matches no class (as PCRE2's
// invalid-UTF mode never lets a match include it). Immutable after compile(); thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop::corpus {

class SequenceRegex {
 public:
  static std::optional<SequenceRegex> compile(const std::string& source);

  // The end of the match anchored at `start` (a character start), or npos when none.
  size_t match_at(std::string_view text, size_t start) const;

  static constexpr size_t npos = std::string_view::npos;

 private:
  struct CharClass {
    uint64_t low[4] = {};          // code points 0..255
    bool above = false;            // membership of code points >= 256 not listed
    std::vector<uint32_t> listed;  // code points >= 256 whose membership is !above
    bool contains(uint32_t cp) const;
    bool intersects(const CharClass& other) const;
  };
  struct Item {
    uint8_t ascii[128] = {};  // 1 for the ASCII members of chars (the common case, one load)
    CharClass chars;
    uint32_t min = 1, max = 1;
  };
  // Length of the non-ASCII character at i when it is in `chars` (0 when not, or invalid UTF-8).
  static size_t non_ascii_char_in(const unsigned char* p, size_t n, size_t i, const CharClass& chars);

  std::vector<Item> items_;
};

}  // namespace caploop::corpus
