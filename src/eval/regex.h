// Regex: a compiled PCRE2 pattern (Perl syntax, so look-behind works) with search, find-all and replace.
//
// Contract: the pattern is compiled once, in the constructor, in UTF-8 mode that tolerates invalid UTF-8
// in the subject (PCRE2_MATCH_INVALID_UTF): arbitrary bytes never crash or throw, invalid sequences just
// never match a character class. A pattern that does not compile throws Error(kUsage) naming the pattern,
// the PCRE2 message and the offset. Matching allocates its match data per call, so one Regex may be used
// from many threads at once. Offsets are byte offsets into the subject. `.` does not match "\n" (as in
// Python's re without DOTALL); \b, \w and \s are ASCII-only.
//
// Fast path: a pattern that opens with a look-behind of plain ASCII literal text, such as lm-eval's BBH
// strict-match `(?<=the answer is )(.*)(?=.)`, can only match right after that text, and PCRE2 itself would try
// the look-behind at every byte. Such a pattern searches for the text (memchr-based) and tries the rest anchored
// at each occurrence, in order: the same leftmost match as PCRE2's own search (held to it by tests on real and
// random text). Options::plain turns the fast path off.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

class Regex {
 public:
  static constexpr size_t kNoOffset = static_cast<size_t>(-1);

  struct Span {
    size_t begin = kNoOffset;
    size_t end = kNoOffset;
    bool matched() const { return begin != kNoOffset; }
  };

  // One match: group 0 is the whole match; groups that did not take part are unmatched spans.
  struct Match {
    static constexpr int kMaxGroups = 10;  // groups beyond 9 are not reported
    std::array<Span, kMaxGroups> groups{};
    int n_groups = 0;  // 1 + the number of capture groups reported

    size_t begin() const { return groups[0].begin; }
    size_t end() const { return groups[0].end; }
    // Text of group i in `subject`, "" when it did not take part.
    std::string_view group(std::string_view subject, int i) const;
    // The first capture group that took part, else the whole match (Python's findall with several groups
    // keeps the first non-empty one; lm-eval's RegexFilter does the same).
    Span first_participating_group() const;
  };

  struct Options {
    bool case_insensitive = false;
    bool multiline = false;  // ^ and $ match at line breaks
    bool plain = false;      // always PCRE2's own search (no literal look-behind fast path)
  };

  explicit Regex(std::string_view pattern);
  Regex(std::string_view pattern, Options options);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  Regex(Regex&& other) noexcept;
  Regex& operator=(Regex&& other) noexcept;

  const std::string& pattern() const { return pattern_; }
  // The literal text a leading look-behind requires, when the fast path applies; "" otherwise.
  const std::string& required_prefix() const { return prefix_; }

  // Leftmost match starting at or after byte `start`.
  std::optional<Match> search(std::string_view subject, size_t start = 0) const;
  // All non-overlapping matches, left to right (an empty match advances by one character).
  std::vector<Match> find_all(std::string_view subject) const;
  std::optional<Match> find_last(std::string_view subject) const;
  size_t count(std::string_view subject) const;
  // Replaces every match with `replacement`, in PCRE2 syntax: $1 or ${1} is group 1, $$ is a literal $.
  std::string replace_all(std::string_view subject, std::string_view replacement) const;

 private:
  std::optional<Match> search_with(void* match_data, std::string_view subject, size_t start) const;
  std::optional<Match> match_at(void* match_data, std::string_view subject, size_t start, bool anchored) const;

  std::string pattern_;
  std::string prefix_;             // literal of a leading look-behind (fast path), else empty
  void* code_ = nullptr;           // pcre2_code_8*, owned
  void* anchored_code_ = nullptr;  // the same pattern compiled anchored, owned; only with prefix_
};

}  // namespace caploop
