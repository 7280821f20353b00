// Finding \boxed{...} (and \fbox{...}) answers in LaTeX text, with brace matching.
//
// Contract: pure functions over bytes, thread-safe, allocation-free (results are views into the input).
// A box is "\boxed{...}" or "\fbox{...}" whose content ends at the matching "}" (nested braces count), or
// the brace-less form "\boxed 5" whose content runs to the next "$", white space or end of text. A box
// whose braces never close is not an answer (it is skipped and not counted).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace caploop {

struct BoxedAnswer {
  size_t begin = 0;          // start of "\boxed" / "\fbox" in the text
  size_t end = 0;            // one past the closing "}" (or past the brace-less content)
  std::string_view content;  // what is inside the braces
};

struct BoxScan {
  std::optional<BoxedAnswer> first;
  std::optional<BoxedAnswer> last;
  int count = 0;  // complete boxes in the text
};

BoxScan scan_boxes(std::string_view text);

}  // namespace caploop
