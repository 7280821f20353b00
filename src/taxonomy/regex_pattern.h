// RegexPattern: a PCRE2 regular expression compiled once (JIT when available) and matched many times.
//
// Contract: compile() returns nullptr and fills *error with PCRE2's message and the offset when the pattern is
// invalid. Patterns are compiled as UTF-8 and match subjects that are not valid UTF-8 without failing
// (PCRE2_MATCH_INVALID_UTF). matches() is const and thread-safe: it uses a per-thread match block, so one
// compiled pattern may serve many threads. It returns a negative PCRE2 error code (e.g. the match limit was
// hit) instead of throwing, so that the caller can say which rule and item were involved.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace caploop {

class RegexPattern {
 public:
  static std::unique_ptr<RegexPattern> compile(std::string_view pattern, std::string* error);
  ~RegexPattern();
  RegexPattern(const RegexPattern&) = delete;
  RegexPattern& operator=(const RegexPattern&) = delete;

  // 1 when the pattern matches somewhere in `subject`, 0 when not, a negative PCRE2 error code on failure.
  int matches(std::string_view subject) const;
  // PCRE2's description of a negative result of matches().
  static std::string describe_error(int code);
  const std::string& source() const { return source_; }

 private:
  RegexPattern() = default;
  void* code_ = nullptr;  // pcre2_code_8*, kept opaque so that users need not define PCRE2_CODE_UNIT_WIDTH
  std::string source_;
};

}  // namespace caploop
