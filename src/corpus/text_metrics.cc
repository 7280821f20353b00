#include "corpus/text_metrics.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>

namespace caploop::corpus {

const std::vector<std::string>& text_metric_names() {
  static const std::vector<std::string> names = {
      "chars", "words", "lines", "mean_word_length", "symbol_word_ratio", "bullet_line_fraction",
      "ellipsis_line_fraction", "alpha_word_fraction", "stopwords", "duplicate_line_fraction",
      "terminal_punct_line_fraction", "curly_braces", "digit_fraction", "ends_with_terminal_punct", "code_points"};
  return names;
}

std::optional<int> find_text_metric(std::string_view name) {
  const auto& names = text_metric_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }
bool is_terminal(unsigned char c) { return c == '.' || c == '!' || c == '?' || c == '"' || c == '\''; }

bool is_stopword(std::string_view w) {
  if (w.size() < 2 || w.size() > 4) return false;
  char buf[4];
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  std::string_view l(buf, w.size());
  return l == "the" || l == "be" || l == "to" || l == "of" || l == "and" || l == "that" || l == "have" ||
         l == "with";
}

bool ends_with_ellipsis(std::string_view l) {
  return (l.size() >= 3 && l.substr(l.size() - 3) == "...") ||
         (l.size() >= 3 && l.substr(l.size() - 3) == "\xE2\x80\xA6");
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && is_space(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace

TextMetrics compute_text_metrics(std::string_view text, TextMetricsScratch& scratch) {
  TextMetrics m{};
  double words = 0, word_code_points = 0, alpha_words = 0, stopwords = 0, code_points = 0, digits = 0;
  double symbols = 0, braces = 0;
  double lines = 0, bullets = 0, ellipsis = 0, terminal = 0;
  size_t continuation_bytes = 0;
  scratch.line_hashes.clear();
  // One pass, line by line: words never span a line break ('\n' is white space) and neither do "..." or "…".
  const size_t n = text.size();
  const char* base = text.data();
  size_t start = 0;
  while (start <= n) {
    const void* nl = start < n ? std::memchr(base + start, '\n', n - start) : nullptr;
    size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - base) : n;
    std::string_view raw = text.substr(start, end - start);
    // Characters and words of this line.
    size_t i = 0, len = raw.size();
    while (i < len) {
      unsigned char c = static_cast<unsigned char>(raw[i]);
      if (is_space(c)) {
        ++i;
        continue;
      }
      size_t word_start = i;
      bool alpha = false;
      size_t cont = 0;
      for (; i < len; ++i) {
        c = static_cast<unsigned char>(raw[i]);
        if (is_space(c)) break;
        cont += is_continuation(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0) alpha = true;
        else if (c >= '0' && c <= '9') ++digits;
        else if (c == '#') ++symbols;
        else if (c == '{' || c == '}') ++braces;
      }
      ++words;
      word_code_points += static_cast<double>(i - word_start - cont);
      continuation_bytes += cont;
      if (alpha) ++alpha_words;
      if (i - word_start <= 4 && is_stopword(raw.substr(word_start, i - word_start))) ++stopwords;
    }
    for (size_t pos = raw.find("..."); pos != std::string_view::npos; pos = raw.find("...", pos + 3)) ++symbols;
    for (size_t pos = raw.find("\xE2\x80\xA6"); pos != std::string_view::npos; pos = raw.find("\xE2\x80\xA6", pos + 3))
      ++symbols;
    std::string_view line = trim(raw);
    if (!line.empty()) {
      ++lines;
      unsigned char first = static_cast<unsigned char>(line[0]);
      if (first == '-' || first == '*' || line.starts_with("\xE2\x80\xA2")) ++bullets;
      if (ends_with_ellipsis(line)) ++ellipsis;
      if (is_terminal(static_cast<unsigned char>(line.back()))) ++terminal;
      scratch.line_hashes.push_back(std::hash<std::string_view>{}(raw));
    }
    start = end + 1;
  }
  code_points = static_cast<double>(n - continuation_bytes);  // white space is never a continuation byte
  std::sort(scratch.line_hashes.begin(), scratch.line_hashes.end());
  double distinct = static_cast<double>(
      std::unique(scratch.line_hashes.begin(), scratch.line_hashes.end()) - scratch.line_hashes.begin());
  double nl_count = std::max(lines, 1.0);
  std::string_view trimmed = trim(text);

  m[kChars] = static_cast<double>(n);
  m[kWords] = words;
  m[kLines] = lines;
  m[kMeanWordLength] = words > 0 ? word_code_points / words : 0.0;
  m[kSymbolWordRatio] = words > 0 ? symbols / words : 0.0;
  m[kBulletLineFraction] = bullets / nl_count;
  m[kEllipsisLineFraction] = ellipsis / nl_count;
  m[kAlphaWordFraction] = words > 0 ? alpha_words / words : 0.0;
  m[kStopwords] = stopwords;
  m[kDuplicateLineFraction] = (lines - distinct) / nl_count;
  m[kTerminalPunctLineFraction] = terminal / nl_count;
  m[kCurlyBraces] = braces;
  m[kDigitFraction] = code_points > 0 ? digits / code_points : 0.0;
  m[kEndsWithTerminalPunct] =
      (!trimmed.empty() && is_terminal(static_cast<unsigned char>(trimmed.back()))) ? 1.0 : 0.0;
  m[kCodePoints] = code_points;
  return m;
}

}  // namespace caploop::corpus
