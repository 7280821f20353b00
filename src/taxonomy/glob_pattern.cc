#include "taxonomy/glob_pattern.h"

namespace caploop {

GlobPattern::GlobPattern(std::string pattern) : pattern_(std::move(pattern)) {
  literal_ = pattern_.find_first_of("*?") == std::string::npos;
}

bool GlobPattern::matches(std::string_view text) const {
  if (literal_) return text == pattern_;
  // Greedy matching that backtracks only to the most recent `*`: linear in practice, never exponential.
  size_t p = 0, t = 0;
  size_t star = std::string::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern_.size() && (pattern_[p] == '?' || pattern_[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern_.size() && pattern_[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern_.size() && pattern_[p] == '*') ++p;
  return p == pattern_.size();
}

}  // namespace caploop
