// GlobPattern: a shell-style name pattern (`*` any run of characters, `?` one character, no other specials)
// used by tagging rules to match benchmark and task names. A pattern without wildcards is compared exactly.
// Immutable after construction; matches() is const and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caploop {

class GlobPattern {
 public:
  explicit GlobPattern(std::string pattern);
  bool matches(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  bool literal_ = true;
};

}  // namespace caploop
