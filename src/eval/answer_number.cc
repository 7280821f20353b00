#include "eval/answer_number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "eval/answer_text.h"

namespace caploop {
namespace {

// Parses digits-with-comma-groups and an optional fraction starting at `i`; returns the end offset, or i if
// no digit is there. Commas must be followed by exactly three digits to belong to the number.
size_t scan_unsigned(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && is_ascii_digit(s[j])) ++j;
  if (j == i) return i;
  while (j + 3 < s.size() && s[j] == ',' && is_ascii_digit(s[j + 1]) && is_ascii_digit(s[j + 2]) &&
         is_ascii_digit(s[j + 3]) && (j + 4 >= s.size() || !is_ascii_digit(s[j + 4]))) {
    j += 4;
  }
  if (j + 1 < s.size() && s[j] == '.' && is_ascii_digit(s[j + 1])) {
    ++j;
    while (j < s.size() && is_ascii_digit(s[j])) ++j;
  }
  return j;
}

std::optional<double> to_double(std::string_view digits) {
  std::string clean;
  clean.reserve(digits.size());
  for (char c : digits) {
    if (c != ',' && c != '$' && c != '+') clean.push_back(c);
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (ec != std::errc() || ptr != clean.data() + clean.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<double> parse_plain_number(std::string_view text) {
  std::string_view s = trim(text);
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);
  s = trim_right(s);
  if (s.empty()) return std::nullopt;
  auto tok = number_token_at(s, 0);
  if (!tok || tok->end != s.size()) {
    // Also accept commas that are not in groups of three ("1,0000" as written by some models).
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
      negative = body[0] == '-';
      body.remove_prefix(1);
    }
    if (!body.empty() && body[0] == '$') body.remove_prefix(1);
    if (body.empty() || !is_ascii_digit(body[0])) return std::nullopt;
    bool seen_point = false;
    for (char c : body) {
      if (c == '.') {
        if (seen_point) return std::nullopt;
        seen_point = true;
      } else if (!is_ascii_digit(c) && c != ',') {
        return std::nullopt;
      }
    }
    auto v = to_double(body);
    if (!v) return std::nullopt;
    return negative ? -*v : *v;
  }
  return tok->value;
}

std::optional<NumberToken> number_token_at(std::string_view text, size_t pos) {
  size_t i = pos;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i < text.size() && text[i] == '$') ++i;
  if (!negative && i < text.size() && text[i] == '-') {  // "$-5"
    negative = true;
    ++i;
  }
  size_t end = scan_unsigned(text, i);
  if (end == i) return std::nullopt;
  auto v = to_double(text.substr(i, end - i));
  if (!v) return std::nullopt;
  return NumberToken{pos, end, negative ? -*v : *v};
}

std::optional<NumberToken> find_last_number(std::string_view text) {
  std::optional<NumberToken> last;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_ascii_digit(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    // Take a sign and "$" written right before the digits: "-5", "$5", "-$5", "$-5".
    if (start > 0 && text[start - 1] == '$') --start;
    if (start > 0 && text[start - 1] == '-') --start;
    if (start > 0 && text[start - 1] == '$' && start + 1 < text.size() && text[start] == '-') --start;
    auto tok = number_token_at(text, start);
    if (!tok) tok = number_token_at(text, i);
    if (!tok) {
      ++i;
      continue;
    }
    last = tok;
    i = tok->end;
  }
  return last;
}

std::string format_number(double v) {
  if (std::isfinite(v) && std::fabs(v) < 1e15 && v == std::floor(v)) {
    long long n = static_cast<long long>(v);
    return std::to_string(n);
  }
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return std::to_string(v);
  return std::string(buf, ptr);
}

bool numbers_close(double a, double b, double relative_tolerance) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  double scale = std::max(std::fabs(a), std::fabs(b));
  if (scale < 1e-12) return std::fabs(a - b) < 1e-12;
  return std::fabs(a - b) <= relative_tolerance * scale;
}

}  // namespace caploop
