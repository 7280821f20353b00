#include "eval/answer_text.h"

namespace caploop {

std::string_view trim_left(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  return s.substr(b);
}

std::string_view trim_right(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && is_space(s[e - 1])) --e;
  return s.substr(0, e);
}

std::string_view trim(std::string_view s) { return trim_right(trim_left(s)); }

std::string_view strip_one_trailing_period(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower_ascii(c);
  return out;
}

size_t find_ignore_case(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty()) return from <= haystack.size() ? from : kNotFound;
  if (needle.size() > haystack.size()) return kNotFound;
  const char first = to_lower_ascii(needle[0]);
  for (size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (to_lower_ascii(haystack[i]) != first) continue;
    if (equals_ignore_case(haystack.substr(i, needle.size()), needle)) return i;
  }
  return kNotFound;
}

size_t rfind_ignore_case(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return kNotFound;
  if (needle.empty()) return haystack.size();
  const char first = to_lower_ascii(needle[0]);
  for (size_t i = haystack.size() - needle.size() + 1; i-- > 0;) {
    if (to_lower_ascii(haystack[i]) != first) continue;
    if (equals_ignore_case(haystack.substr(i, needle.size()), needle)) return i;
  }
  return kNotFound;
}

size_t count_occurrences(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != kNotFound; pos = haystack.find(needle, pos + needle.size())) ++n;
  return n;
}

size_t count_occurrences_ignore_case(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t n = 0;
  for (size_t pos = find_ignore_case(haystack, needle); pos != kNotFound;
       pos = find_ignore_case(haystack, needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

bool is_whole_word(std::string_view text, size_t begin, size_t end) {
  if (begin > 0 && is_ascii_alnum(text[begin - 1])) return false;
  if (end < text.size() && is_ascii_alnum(text[end])) return false;
  return true;
}

size_t end_of_line(std::string_view text, size_t pos) {
  size_t nl = text.find('\n', pos);
  return nl == kNotFound ? text.size() : nl;
}

std::string replace_all_literal(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  if (from.empty()) return std::string(text);
  size_t copied = 0;
  for (size_t pos = text.find(from); pos != kNotFound; pos = text.find(from, copied)) {
    out.append(text.substr(copied, pos - copied));
    out.append(to);
    copied = pos + from.size();
  }
  out.append(text.substr(copied));
  return out;
}

namespace {
bool is_ascii_punct(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u < 0x80 && !is_ascii_alnum(c) && !is_space(c) && u > 0x20 && u != 0x7f;
}
}  // namespace

std::string fold_for_loose_compare(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (is_space(s[b]) || is_ascii_punct(s[b]))) ++b;
  while (e > b && (is_space(s[e - 1]) || is_ascii_punct(s[e - 1]))) --e;
  std::string out;
  out.reserve(e - b);
  bool pending_space = false;
  for (size_t i = b; i < e; ++i) {
    if (is_space(s[i])) {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(to_lower_ascii(s[i]));
  }
  return out;
}

}  // namespace caploop
