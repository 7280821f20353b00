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
// quantifiers; at least one character. The one assertion taken is at the start: `\b`, or a lookbehind `(?<=...)`
// of unquantified classes of ASCII characters only, optionally starting with `\b` (`(?<=\b[a-z] )`); it looks at
// the bytes before the match start whatever the search start, as PCRE2's JIT does (its interpreter, at a search
// start, does not apply such a \b to the characters before it; the scanner's programs run on the JIT). Which characters
// below U+0100 a class holds is asked of PCRE2 itself (one anchored match per character), and the rest is checked
// against PCRE2 on sample characters; anything else makes compile() return nullopt, and the caller keeps PCRE2. Invalid
// UTF-8 matches no class (as PCRE2's invalid-UTF mode never lets a match include it). Immutable after compile();
// thread-safe.
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
    uint8_t ascii[256] = {};  // 1 for the ASCII members of chars (the common case, one load); 0 from 0x80 on
    bool non_ascii = false;   // chars holds some character above U+007F
    // The ASCII characters outside chars when there are at most 3 of them (a long negated class such as
    // [^$\n]{1,200}): the stretch of members is found 16 bytes at a time; stop_count 0 = not used.
    uint8_t stop_count = 0;
    uint8_t stops[3] = {};
    CharClass chars;
    uint32_t min = 1, max = 1;
  };
  // Reads the single-character class, escape or literal at s[i] (advancing i past it) into item.chars and
  // item.ascii, asking PCRE2 which characters it holds; false when this matcher does not model it.
  static bool parse_atom(const std::string& s, size_t& i, Item& item);
  // Length of the non-ASCII character at i when it is in `chars` (0 when not, or invalid UTF-8).
  static size_t non_ascii_char_in(const unsigned char* p, size_t n, size_t i, const CharClass& chars);

  std::vector<Item> items_;
  bool boundary_at_start_ = false;  // the regex starts with \b
  std::vector<Item> behind_;        // a leading lookbehind (?<=...): one ASCII character per item
  bool boundary_behind_ = false;    // the lookbehind starts with \b
};

}  // namespace caploop::corpus
