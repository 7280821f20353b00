#include "corpus/text_metrics.h"

#include <algorithm>
#include <array>
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

// What the word loop counts per byte, one table lookup instead of a chain of comparisons.
enum ByteClass : unsigned char {
  kSpace = 1,         // ASCII white space: ends a word
  kContinuation = 2,  // UTF-8 continuation byte: not a code point of its own
  kLetter = 4,        // ASCII letter or a UTF-8 lead byte (non-ASCII letters count as letters)
  kDigit = 8,
  kHash = 16,         // '#', a Gopher symbol
  kBrace = 32,        // '{' or '}'
};
constexpr std::array<unsigned char, 256> make_byte_classes() {
  std::array<unsigned char, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    unsigned char f = 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') f |= kSpace;
    if ((c & 0xC0) == 0x80) f |= kContinuation;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0) f |= kLetter;
    else if (c >= '0' && c <= '9') f |= kDigit;
    else if (c == '#') f |= kHash;
    else if (c == '{' || c == '}') f |= kBrace;
    t[c] = f;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kByteClass = make_byte_classes();
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
  // Integer counters: a double incremented per byte would chain floating-point additions through the loop.
  size_t words = 0, word_code_points = 0, alpha_words = 0, stopwords = 0, digits = 0, symbols = 0, braces = 0;
  size_t lines = 0, bullets = 0, ellipsis = 0, terminal = 0;
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
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    // Characters and words of this line.
    size_t i = 0, len = raw.size();
    while (i < len) {
      if (kByteClass[bytes[i]] & kSpace) {
        ++i;
        continue;
      }
      size_t word_start = i;
      unsigned alpha = 0;
      size_t cont = 0;
      for (; i < len; ++i) {
        const unsigned cls = kByteClass[bytes[i]];
        if (cls & kSpace) break;
        cont += (cls & kContinuation) != 0;
        alpha |= cls & kLetter;
        digits += (cls & kDigit) != 0;
        symbols += (cls & kHash) != 0;
        braces += (cls & kBrace) != 0;
      }
      ++words;
      word_code_points += i - word_start - cont;
      continuation_bytes += cont;
      alpha_words += alpha != 0;
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
  const size_t code_points = n - continuation_bytes;  // white space is never a continuation byte
  std::sort(scratch.line_hashes.begin(), scratch.line_hashes.end());
  const size_t distinct = static_cast<size_t>(
      std::unique(scratch.line_hashes.begin(), scratch.line_hashes.end()) - scratch.line_hashes.begin());
  const double nl_count = static_cast<double>(std::max<size_t>(lines, 1));
  const double word_count = static_cast<double>(words);
  std::string_view trimmed = trim(text);

  m[kChars] = static_cast<double>(n);
  m[kWords] = word_count;
  m[kLines] = static_cast<double>(lines);
  m[kMeanWordLength] = words > 0 ? static_cast<double>(word_code_points) / word_count : 0.0;
  m[kSymbolWordRatio] = words > 0 ? static_cast<double>(symbols) / word_count : 0.0;
  m[kBulletLineFraction] = static_cast<double>(bullets) / nl_count;
  m[kEllipsisLineFraction] = static_cast<double>(ellipsis) / nl_count;
  m[kAlphaWordFraction] = words > 0 ? static_cast<double>(alpha_words) / word_count : 0.0;
  m[kStopwords] = static_cast<double>(stopwords);
  m[kDuplicateLineFraction] = static_cast<double>(lines - distinct) / nl_count;
  m[kTerminalPunctLineFraction] = static_cast<double>(terminal) / nl_count;
  m[kCurlyBraces] = static_cast<double>(braces);
  m[kDigitFraction] = code_points > 0 ? static_cast<double>(digits) / static_cast<double>(code_points) : 0.0;
  m[kEndsWithTerminalPunct] =
      (!trimmed.empty() && is_terminal(static_cast<unsigned char>(trimmed.back()))) ? 1.0 : 0.0;
  m[kCodePoints] = static_cast<double>(code_points);
  return m;
}

}  // namespace caploop::corpus
