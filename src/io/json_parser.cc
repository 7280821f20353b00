#include "io/json_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>

#include "io/json_fields.h"

namespace caploop {

namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

int64_t count_lines(std::string_view text) {
  if (text.empty()) return 0;
  int64_t lines = 1 + static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
  if (text.back() == '\n') --lines;  // a final newline ends the last line rather than starting another
  return lines;
}

std::string_view without_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

// One step of the path from the root to the value being checked, for naming a duplicate key's object.
struct PathStep {
  const PathStep* parent;
  std::string_view key;  // the key, or empty with index >= 0 for an array element
  int64_t index;
};

std::string pointer_of(const PathStep* step) {
  std::vector<const PathStep*> steps;
  for (; step != nullptr; step = step->parent) steps.push_back(step);
  std::string pointer;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if ((*it)->index >= 0) {
      pointer += fmt::format("/{}", (*it)->index);
      continue;
    }
    pointer += '/';
    for (char c : (*it)->key) {
      if (c == '~') {
        pointer += "~0";
      } else if (c == '/') {
        pointer += "~1";
      } else {
        pointer += c;
      }
    }
  }
  return pointer;
}

// Returns the first key that occurs twice in `keys` (sorting them), or nullopt.
std::optional<std::string_view> first_duplicate(std::vector<std::string_view>& keys) {
  if (keys.size() < 2) return std::nullopt;
  if (keys.size() <= 8) {
    for (size_t i = 0; i < keys.size(); ++i) {
      for (size_t j = i + 1; j < keys.size(); ++j) {
        if (keys[i] == keys[j]) return keys[i];
      }
    }
    return std::nullopt;
  }
  std::sort(keys.begin(), keys.end());
  auto at = std::adjacent_find(keys.begin(), keys.end());
  if (at == keys.end()) return std::nullopt;
  return *at;
}

void check_keys(simdjson::dom::element value, const PathStep* path, std::vector<std::string_view>& keys,
                const SourceLocation& where) {
  using simdjson::dom::element_type;
  if (value.type() == element_type::OBJECT) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) return;
    keys.clear();
    for (auto field : object) keys.push_back(field.key);
    if (std::optional<std::string_view> key = first_duplicate(keys)) {
      SourceLocation at = where;
      at.field += pointer_of(path);
      throw_input_error(
          fmt::format("duplicate key \"{}\" in one JSON object (which value is meant cannot be told)", *key), at);
    }
    for (auto field : object) {
      if (field.value.is_object() || field.value.is_array()) {
        PathStep step{path, field.key, -1};
        check_keys(field.value, &step, keys, where);
      }
    }
  } else if (value.type() == element_type::ARRAY) {
    simdjson::dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return;
    int64_t index = 0;
    for (simdjson::dom::element child : array) {
      if (child.is_object() || child.is_array()) {
        PathStep step{path, {}, index};
        check_keys(child, &step, keys, where);
      }
      ++index;
    }
  }
}

bool starts_token(std::string_view text, size_t at, std::string_view token) {
  if (text.substr(at, token.size()) != token) return false;
  size_t end = at + token.size();
  if (end == text.size()) return true;
  unsigned char next = static_cast<unsigned char>(text[end]);
  return !(std::isalnum(next) || next == '_');
}

}  // namespace

bool rewrite_non_finite_numbers(std::string_view text, std::string& out) {
  static constexpr std::string_view kNaN = "4.9406564584124654e-324";
  static constexpr std::string_view kInfinity = "9.8813129168249309e-324";
  static constexpr std::string_view kMinusInfinity = "1.4821969375237396e-323";
  out.clear();
  bool found = false;
  bool in_string = false;
  size_t copied = 0;  // text[copied, i) is still to be copied to out
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    std::string_view token, replacement;
    if (c == 'N' && starts_token(text, i, "NaN")) {
      token = "NaN", replacement = kNaN;
    } else if (c == 'I' && starts_token(text, i, "Infinity")) {
      token = "Infinity", replacement = kInfinity;
    } else if (c == '-' && starts_token(text, i, "-Infinity")) {
      token = "-Infinity", replacement = kMinusInfinity;
    } else {
      continue;
    }
    out.append(text.substr(copied, i - copied));
    out.append(replacement);
    i += token.size() - 1;
    copied = i + 1;
    found = true;
  }
  if (found) out.append(text.substr(copied));
  return found;
}

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
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        --depth;
        break;
      default:
        break;
    }
  }
  return in_string || depth > 0;
}

void JsonParser::check_unique_keys(simdjson::dom::element root, const SourceLocation& where) {
  check_keys(root, nullptr, keys_, where);
}

simdjson::dom::element JsonParser::parse(std::string_view text, const SourceLocation& where) {
  text = without_bom(text);
  if (is_blank(text)) {
    throw_input_error(where.line > 0 ? "empty line where a JSON record was expected" : "empty file: no JSON value",
                      where);
  }
  padded_.assign(text);
  padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element root;
  simdjson::error_code code = parser_.parse(padded_.data(), text.size(), false).get(root);
  if (code != simdjson::SUCCESS && code != simdjson::UTF8_ERROR && rewrite_non_finite_numbers(text, rewritten_)) {
    // Python's bare NaN / Infinity: parse again with them as the reserved numbers.
    padded_.assign(rewritten_);
    padded_.append(simdjson::SIMDJSON_PADDING, '\0');
    simdjson::dom::element again;
    simdjson::error_code second = parser_.parse(padded_.data(), rewritten_.size(), false).get(again);
    if (second == simdjson::SUCCESS) {
      code = second;
      root = again;
    }
  }
  if (code == simdjson::SUCCESS) {
    check_unique_keys(root, where);
    return root;
  }

  SourceLocation at = where;
  std::string message;
  if (code == simdjson::UTF8_ERROR) {
    int64_t bad = first_invalid_utf8_line(text);
    if (at.line == 0) at.line = bad;
    message = "invalid UTF-8";
  } else if (json_text_is_truncated(text)) {
    if (at.line == 0) at.line = count_lines(text);
    message = fmt::format("JSON ends inside a value: the {} is truncated ({})", where.line > 0 ? "record" : "file",
                          simdjson::error_message(code));
  } else if (code == simdjson::CAPACITY) {
    message = "JSON document too large for the parser";
  } else {
    message = fmt::format("malformed JSON: {}", simdjson::error_message(code));
  }
  throw_input_error(message, at);
}

}  // namespace caploop
