#include "core/fnv1a.h"
#include "corpus/text_metrics.h"

#include <algorithm>
#include <cstdint>

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
  // Words.
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && is_space(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= n) break;
    size_t start = i;
    bool alpha = false;
    double cps = 0;
    while (i < n && !is_space(static_cast<unsigned char>(text[i]))) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (!is_continuation(c)) ++cps;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0) alpha = true;
      ++i;
    }
    ++words;
    word_code_points += cps;
    if (alpha) ++alpha_words;
    if (is_stopword(text.substr(start, i - start))) ++stopwords;
  }
  // Characters.
  for (size_t k = 0; k < n; ++k) {
    unsigned char c = static_cast<unsigned char>(text[k]);
    if (!is_continuation(c)) ++code_points;
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '#') ++symbols;
    else if (c == '{' || c == '}') ++braces;
  }
  for (size_t pos = text.find("..."); pos != std::string_view::npos; pos = text.find("...", pos + 3)) ++symbols;
  for (size_t pos = text.find("\xE2\x80\xA6"); pos != std::string_view::npos;
       pos = text.find("\xE2\x80\xA6", pos + 3))
    ++symbols;
  // Lines.
  scratch.line_hashes.clear();
  double lines = 0, bullets = 0, ellipsis = 0, terminal = 0;
  size_t start = 0;
  while (start <= n) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = n;
    std::string_view raw = text.substr(start, end - start);
    std::string_view line = trim(raw);
    if (!line.empty()) {
      ++lines;
      unsigned char first = static_cast<unsigned char>(line[0]);
      if (first == '-' || first == '*' || line.starts_with("\xE2\x80\xA2")) ++bullets;
      if (ends_with_ellipsis(line)) ++ellipsis;
      if (is_terminal(static_cast<unsigned char>(line.back()))) ++terminal;
      scratch.line_hashes.push_back(fnv1a64(raw));
    }
    start = end + 1;
  }
  std::sort(scratch.line_hashes.begin(), scratch.line_hashes.end());
  double distinct = static_cast<double>(
      std::unique(scratch.line_hashes.begin(), scratch.line_hashes.end()) - scratch.line_hashes.begin());
  double nl = std::max(lines, 1.0);
  std::string_view trimmed = trim(text);

  m[kChars] = static_cast<double>(n);
  m[kWords] = words;
  m[kLines] = lines;
  m[kMeanWordLength] = words > 0 ? word_code_points / words : 0.0;
  m[kSymbolWordRatio] = words > 0 ? symbols / words : 0.0;
  m[kBulletLineFraction] = bullets / nl;
  m[kEllipsisLineFraction] = ellipsis / nl;
  m[kAlphaWordFraction] = words > 0 ? alpha_words / words : 0.0;
  m[kStopwords] = stopwords;
  m[kDuplicateLineFraction] = (lines - distinct) / nl;
  m[kTerminalPunctLineFraction] = terminal / nl;
  m[kCurlyBraces] = braces;
  m[kDigitFraction] = code_points > 0 ? digits / code_points : 0.0;
  m[kEndsWithTerminalPunct] =
      (!trimmed.empty() && is_terminal(static_cast<unsigned char>(trimmed.back()))) ? 1.0 : 0.0;
  m[kCodePoints] = code_points;
  return m;
}

}  // namespace caploop::corpus
