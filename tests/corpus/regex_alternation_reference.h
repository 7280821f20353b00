// The regex semantics PatternScanner promises, computed the plain way for tests: all the regexes as one PCRE2
// alternation "(*MARK:i)(?:r_i)|..." scanned left to right (multi-line, UTF, invalid UTF-8 tolerated), each
// match counted for the regex whose branch matched, the scan going on after it (one character after an empty
// match).
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <gtest/gtest.h>
#include <pcre2.h>

#include <string>
#include <vector>

namespace caploop::corpus::testing_reference {

inline std::vector<uint32_t> alternation_counts(const std::vector<std::string>& regexes, const std::string& text) {
  std::string alt;
  for (size_t i = 0; i < regexes.size(); ++i)
    alt += (i ? "|(*MARK:" : "(*MARK:") + std::to_string(i) + ")(?:" + regexes[i] + ")";
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(alt.data()), alt.size(),
                                 PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, nullptr);
  EXPECT_NE(re, nullptr);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(re, nullptr);
  std::vector<uint32_t> counts(regexes.size(), 0);
  size_t pos = 0;
  while (pos <= text.size() &&
         pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), pos, 0, md, nullptr) >= 0) {
    ++counts[std::stoul(reinterpret_cast<const char*>(pcre2_get_mark(md)))];
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    pos = ov[1];
    if (ov[1] == ov[0]) {
      ++pos;
      while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
  }
  pcre2_match_data_free(md);
  pcre2_code_free(re);
  return counts;
}

}  // namespace caploop::corpus::testing_reference
