#include "eval/math_equivalence.h"

#include <string>
#include <vector>

#include "eval/answer_number.h"
#include "eval/answer_text.h"

namespace caploop {
namespace {

constexpr double kRelativeTolerance = 1e-6;
constexpr int kMaxDepth = 8;  // nesting limit for lists inside lists

// "{x}" -> "x" when the braces enclose the whole string.
std::string_view strip_outer_braces(std::string_view s) {
  while (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
    int depth = 0;
    bool encloses = true;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '{') ++depth;
      if (s[i] == '}' && --depth == 0 && i + 1 != s.size()) {
        encloses = false;
        break;
      }
    }
    if (!encloses) break;
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// Reads a brace group "{...}" starting at i; returns its content and moves i past it.
std::optional<std::string_view> brace_group(std::string_view s, size_t& i) {
  if (i >= s.size() || s[i] != '{') return std::nullopt;
  int depth = 0;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] == '{') ++depth;
    if (s[j] == '}' && --depth == 0) {
      std::string_view content = s.substr(i + 1, j - i - 1);
      i = j + 1;
      return content;
    }
  }
  return std::nullopt;
}

std::optional<double> numeric_value(std::string_view s, int depth);

std::optional<double> plain_decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string buf;
  if (s[0] == '.') {
    buf = "0" + std::string(s);
    s = buf;
  }
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '+') && s[1] == '.') {
    buf = std::string(1, s[0]) + "0" + std::string(s.substr(1));
    s = buf;
  }
  // Only digits, one ".", a leading sign and grouping commas; parse_plain_number checks the grouping.
  for (char c : s) {
    if (!(is_ascii_digit(c) || c == '.' || c == ',' || c == '-' || c == '+')) return std::nullopt;
  }
  auto tok = number_token_at(s, 0);
  if (!tok || tok->end != s.size()) return std::nullopt;
  return tok->value;
}

std::optional<double> numeric_value(std::string_view s, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  s = strip_outer_braces(trim(s));
  if (s.empty()) return std::nullopt;
  if (s.back() == '%') s.remove_suffix(1);
  double sign = 1;
  if (s.size() > 1 && (s[0] == '-' || s[0] == '+') && !is_ascii_digit(s[1]) && s[1] != '.') {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  if (auto v = plain_decimal(s)) return sign * *v;
  if (s.starts_with("\\frac")) {
    size_t i = 5;
    auto num = brace_group(s, i);
    auto den = brace_group(s, i);
    if (!num || !den || i != s.size()) return std::nullopt;
    auto a = numeric_value(*num, depth + 1);
    auto b = numeric_value(*den, depth + 1);
    if (!a || !b || *b == 0) return std::nullopt;
    return sign * *a / *b;
  }
  size_t slash = s.find('/');
  if (slash != kNotFound && s.find('/', slash + 1) == kNotFound) {
    auto a = plain_decimal(s.substr(0, slash));
    auto b = plain_decimal(s.substr(slash + 1));
    if (!a || !b || *b == 0) return std::nullopt;
    return sign * *a / *b;
  }
  return std::nullopt;
}

// Splits at commas outside (), [], {} and "\{ \}".
std::vector<std::string_view> split_top_level(std::string_view s) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

struct ListForm {
  std::string_view open, close;  // "" when unbracketed
  std::vector<std::string_view> items;
  bool unordered = false;
};

// A list form when `s` is bracketed "(..)", "[..]", "(..]", "[..)", "\{..\}" with top-level commas, or an
// unbracketed list with at least two top-level commas-separated items.
std::optional<ListForm> as_list(std::string_view s) {
  ListForm f;
  std::string_view inner = s;
  if (s.size() >= 4 && s.starts_with("\\{") && s.ends_with("\\}")) {
    f.open = "\\{";
    f.close = "\\}";
    f.unordered = true;
    inner = s.substr(2, s.size() - 4);
  } else if (s.size() >= 2 && (s.front() == '(' || s.front() == '[') && (s.back() == ')' || s.back() == ']')) {
    f.open = s.substr(0, 1);
    f.close = s.substr(s.size() - 1);
    inner = s.substr(1, s.size() - 2);
  } else {
    f.unordered = true;
  }
  f.items = split_top_level(inner);
  if (f.items.size() < 2) return std::nullopt;
  // "1,000" is a number, not a list of two items.
  if (f.open.empty() && plain_decimal(s)) return std::nullopt;
  return f;
}

bool equivalent(std::string_view a, std::string_view b, int depth);

bool lists_equivalent(const ListForm& x, const ListForm& y, int depth) {
  if (x.open != y.open || x.close != y.close || x.items.size() != y.items.size()) return false;
  if (!x.unordered) {
    for (size_t i = 0; i < x.items.size(); ++i) {
      if (!equivalent(x.items[i], y.items[i], depth + 1)) return false;
    }
    return true;
  }
  std::vector<bool> used(y.items.size(), false);
  for (std::string_view item : x.items) {
    bool matched = false;
    for (size_t j = 0; j < y.items.size() && !matched; ++j) {
      if (!used[j] && equivalent(item, y.items[j], depth + 1)) {
        used[j] = true;
        matched = true;
      }
    }
    if (!matched) return false;
  }
  return true;
}

bool equivalent(std::string_view a, std::string_view b, int depth) {
  a = trim(a);
  b = trim(b);
  if (a == b) return true;
  if (depth > kMaxDepth) return false;
  auto va = numeric_value(a, 0);
  auto vb = numeric_value(b, 0);
  if (va && vb) return numbers_close(*va, *vb, kRelativeTolerance);
  if (va || vb) return false;
  auto la = as_list(a);
  auto lb = as_list(b);
  if (la && lb) return lists_equivalent(*la, *lb, depth);
  return false;
}

}  // namespace

std::optional<double> math_numeric_value(std::string_view answer) { return numeric_value(answer, 0); }

bool math_answers_equivalent(std::string_view a, std::string_view b) { return equivalent(a, b, 0); }

}  // namespace caploop
