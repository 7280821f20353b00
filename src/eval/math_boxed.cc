#include "eval/math_boxed.h"

#include <algorithm>

#include "eval/answer_text.h"

namespace caploop {
namespace {

// The box whose command starts at `pos` (cmd_len = length of "\boxed" or "\fbox"), if complete.
std::optional<BoxedAnswer> box_at(std::string_view text, size_t pos, size_t cmd_len) {
  size_t i = pos + cmd_len;
  if (i < text.size() && text[i] == ' ') {  // "\boxed 5"
    size_t b = i;
    while (b < text.size() && text[b] == ' ') ++b;
    size_t e = b;
    while (e < text.size() && text[e] != '$' && !is_space(text[e])) ++e;
    if (e == b) return std::nullopt;
    return BoxedAnswer{pos, e, text.substr(b, e - b)};
  }
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  int depth = 0;
  for (size_t j = i; j < text.size(); ++j) {
    if (text[j] == '{') {
      ++depth;
    } else if (text[j] == '}') {
      if (--depth == 0) return BoxedAnswer{pos, j + 1, text.substr(i + 1, j - i - 1)};
    }
  }
  return std::nullopt;
}

}  // namespace

BoxScan scan_boxes(std::string_view text) {
  BoxScan scan;
  size_t pos = 0;
  size_t outer_end = 0;  // end of the last top-level box, so nested boxes are not counted twice
  while (pos < text.size()) {
    size_t boxed = text.find("\\boxed", pos);
    size_t fbox = text.find("\\fbox", pos);
    size_t at = std::min(boxed, fbox);
    if (at == kNotFound) break;
    size_t cmd_len = at == boxed ? 6 : 5;
    if (auto box = box_at(text, at, cmd_len)) {
      if (!scan.first) scan.first = box;
      scan.last = box;
      if (box->begin >= outer_end) {
        ++scan.count;
        outer_end = box->end;
      }
      // Continue inside the box: a box nested in a box ("\boxed{\boxed{5}}") is found too, and the last
      // complete box by start position is the answer, as with Hendrycks' rfind("\\boxed").
    }
    pos = at + cmd_len;
  }
  return scan;
}

}  // namespace caploop
