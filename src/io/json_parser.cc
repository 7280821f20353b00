#include "io/json_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace caploop {

namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

int64_t count_lines(std::string_view text) {
  if (text.empty()) return 0;
  int64_t lines = 1 + static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
  if (text.back() == '\n') --lines;  // a final newline ends the last line rather than starting another
  return lines;
}

}  // namespace

int64_t first_invalid_utf8_line(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return 0;
  // A newline byte never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one.
  int64_t line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!simdjson::validate_utf8(text.data() + start, end - start)) return line;
    ++line;
    start = end + 1;
  }
  return 0;
}

bool json_text_is_truncated(std::string_view text) {
  int64_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '{': case '[': ++depth; break;
      case '}': case ']': --depth; break;
      default: break;
    }
  }
  return in_string || depth > 0;
}

simdjson::dom::element JsonParser::parse(std::string_view text, const SourceLocation& where) {
  if (is_blank(text)) {
    throw_input_error(where.line > 0 ? "empty line where a JSON record was expected" : "empty file: no JSON value",
                      where);
  }
  padded_.assign(text);
  padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element root;
  simdjson::error_code code = parser_.parse(padded_.data(), text.size(), false).get(root);
  if (code == simdjson::SUCCESS) return root;

  SourceLocation at = where;
  std::string message;
  if (code == simdjson::UTF8_ERROR) {
    int64_t bad = first_invalid_utf8_line(text);
    if (at.line == 0) at.line = bad;
    message = "invalid UTF-8";
  } else if (json_text_is_truncated(text)) {
    if (at.line == 0) at.line = count_lines(text);
    message = fmt::format("JSON ends inside a value: the {} is truncated ({})",
                          where.line > 0 ? "record" : "file", simdjson::error_message(code));
  } else if (code == simdjson::CAPACITY) {
    message = "JSON document too large for the parser";
  } else {
    message = fmt::format("malformed JSON: {}", simdjson::error_message(code));
  }
  throw_input_error(message, at);
}

}  // namespace caploop
