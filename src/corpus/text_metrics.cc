#include "corpus/text_metrics.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>

namespace caploop::corpus {

const std::vector<std::string>& text_metric_names() {
  static const std::vector<std::string> names = {"chars",
                                                 "words",
                                                 "lines",
                                                 "mean_word_length",
                                                 "symbol_word_ratio",
                                                 "bullet_line_fraction",
                                                 "ellipsis_line_fraction",
                                                 "alpha_word_fraction",
                                                 "stopwords",
                                                 "duplicate_line_fraction",
                                                 "terminal_punct_line_fraction",
                                                 "curly_braces",
                                                 "digit_fraction",
                                                 "ends_with_terminal_punct",
                                                 "code_points"};
  return names;
}

std::optional<int> find_text_metric(std::string_view name) {
  const auto& names = text_metric_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

namespace {

// What the word loop counts per byte, one table lookup instead of a chain of comparisons.
enum ByteClass : unsigned char {
  kSpace = 1,         // ASCII white space: ends a word
  kContinuation = 2,  // UTF-8 continuation byte: not a code point of its own
  kLetter = 4,        // ASCII letter or a UTF-8 lead byte (non-ASCII letters count as letters)
  kDigit = 8,
  kHash = 16,   // '#', a Gopher symbol
  kBrace = 32,  // '{' or '}'
};
constexpr std::array<unsigned char, 256> make_byte_classes() {
  std::array<unsigned char, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    unsigned char f = 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') f |= kSpace;
    if ((c & 0xC0) == 0x80) f |= kContinuation;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0)
      f |= kLetter;
    else if (c >= '0' && c <= '9')
      f |= kDigit;
    else if (c == '#')
      f |= kHash;
    else if (c == '{' || c == '}')
      f |= kBrace;
    t[c] = f;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kByteClass = make_byte_classes();
inline bool is_space(unsigned char c) { return kByteClass[c] & kSpace; }
bool is_terminal(unsigned char c) { return c == '.' || c == '!' || c == '?' || c == '"' || c == '\''; }

// The bytes of a stop word (2 to 4 lower-case letters), little-endian, in one value: a byte c with c | 0x20 equal
// to a lower-case letter is that letter in either case, so a word of `length` bytes is a stop word when its bytes
// with bit 0x20 set are one of these.
constexpr uint32_t word_value(const char* w, size_t length) {
  uint32_t v = 0;
  for (size_t i = 0; i < length; ++i) v |= uint32_t{static_cast<unsigned char>(w[i])} << (8 * i);
  return v;
}
// `v`: the word's bytes with bit 0x20 set in each, zero past its length.
inline bool is_stopword(uint32_t v, size_t length) {
  switch (length) {
    case 2:
      return v == word_value("be", 2) || v == word_value("to", 2) || v == word_value("of", 2);
    case 3:
      return v == word_value("the", 3) || v == word_value("and", 3);
    case 4:
      return v == word_value("that", 4) || v == word_value("have", 4) || v == word_value("with", 4);
    default:
      return false;
  }
}

// A 64-bit hash of a line's bytes, 8 at a time (only equality of lines depends on it).
uint64_t line_hash(const unsigned char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    h ^= h >> 29;
  }
  uint64_t v = 0;
  for (size_t k = 0; i + k < n; ++k) v |= uint64_t{p[i + k]} << (8 * k);
  h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 32);
}

bool ends_with_ellipsis(std::string_view l) {
  return (l.size() >= 3 && l.substr(l.size() - 3) == "...") ||
         (l.size() >= 3 && l.substr(l.size() - 3) == "\xE2\x80\xA6");
}

}  // namespace

TextMetrics compute_text_metrics(std::string_view text, TextMetricsScratch& scratch) {
  scratch.scan.scan(text);
  return compute_text_metrics(scratch.scan, scratch, kAllTextMetrics);
}

namespace {

// The first position in [from, to) whose bit is set in the non-space mask, or `to`.
inline size_t first_non_space(const std::vector<ByteClassBlock>& blocks, size_t from, size_t to) {
  while (from < to) {
    const size_t b = from / 64;
    const uint64_t m = ~blocks[b].space >> (from % 64);
    if (m) return std::min(to, from + static_cast<size_t>(std::countr_zero(m)));
    from = (b + 1) * 64;
  }
  return to;
}

// The last position in [from, to) that is not white space; `to` when there is none (from < to).
inline size_t last_non_space(const std::string_view text, size_t from, size_t to) {
  size_t e = to;
  while (e > from && is_space(static_cast<unsigned char>(text[e - 1]))) --e;
  return e > from ? e - 1 : to;
}

}  // namespace

namespace {

// The body of compute_text_metrics(scan, ...), compiled twice: for any x86-64 and for CPUs with the popcnt
// instruction (without it every mask count is a library call).
[[gnu::always_inline]] inline TextMetrics metrics_of(const ByteClassScan& scan, TextMetricsScratch& scratch,
                                                     uint32_t needed) {
  TextMetrics m{};
  const std::string_view text = scan.text();
  const auto& blocks = scan.blocks();
  const size_t n = text.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  // Counts that are popcounts of the masks. Words are runs of non-space bytes; a word has a letter unless the
  // run of non-letters that starts it reaches its end, found by adding the word starts to the non-letter mask
  // (the carry runs through that stretch and lands on the byte after it).
  size_t words = 0, non_space = 0, cont = 0, digits = 0, symbols = 0, braces = 0, words_without_letter = 0;
  uint64_t prev_ns = 0, carry = 0;
  const size_t full = n / 64;
  for (size_t b = 0; b < blocks.size(); ++b) {
    const ByteClassBlock& k = blocks[b];
    const uint64_t valid = b < full ? ~uint64_t{0} : (uint64_t{1} << (n % 64)) - 1;
    const uint64_t ns = ~k.space & valid;
    const uint64_t starts = ns & ~((ns << 1) | (prev_ns >> 63));
    prev_ns = ns;
    words += std::popcount(starts);
    non_space += std::popcount(ns);
    cont += std::popcount(k.cont);
    digits += std::popcount(k.digit);
    symbols += std::popcount(k.hash);
    braces += std::popcount(k.brace);
    const uint64_t non_letter = ns & ~k.letter;
    const uint64_t addend = starts & non_letter;
    uint64_t sum;
    const bool c1 = __builtin_add_overflow(non_letter, addend, &sum);
    const bool c2 = __builtin_add_overflow(sum, carry, &sum);
    carry = (c1 || c2) ? 1 : 0;
    words_without_letter += std::popcount(sum & ~non_letter & ~ns);
  }
  words_without_letter += carry;  // a letterless word running to the end of a text of whole blocks

  size_t stopwords = 0;
  if (needed & (1u << kStopwords)) {
    // Words of 2 to 4 bytes starting with a stop word's first letter, compared case-folded.
    uint64_t prev = 0;
    for (size_t b = 0; b < blocks.size(); ++b) {
      const uint64_t valid = b < full ? ~uint64_t{0} : (uint64_t{1} << (n % 64)) - 1;
      const uint64_t ns = ~blocks[b].space & valid;
      uint64_t cand = ns & ~((ns << 1) | (prev >> 63)) & blocks[b].stop_first;
      prev = ns;
      while (cand) {
        const size_t s = 64 * b + static_cast<size_t>(std::countr_zero(cand));
        cand &= cand - 1;
        // The word's length up to 5 (its first space among the next 4 bytes) and its first 4 bytes, folded.
        size_t len = 1;
        uint32_t v = bytes[s] | 0x20u;
        while (len < 5 && s + len < n && !is_space(bytes[s + len])) {
          if (len < 4) v |= uint32_t{static_cast<unsigned char>(bytes[s + len] | 0x20u)} << (8 * len);
          ++len;
        }
        if (is_stopword(v, len)) ++stopwords;
      }
    }
  }

  // "..." (non-overlapping, never across a line break since '\n' is no dot) and "…", only when present.
  if (needed & (1u << kSymbolWordRatio)) {
    bool dots = false;
    for (size_t b = 0; b < blocks.size() && !dots; ++b) {
      const uint64_t d = blocks[b].dot, next = b + 1 < blocks.size() ? blocks[b + 1].dot : 0;
      dots = (d & ((d >> 1) | (next << 63)) & ((d >> 2) | (next << 62))) != 0;
    }
    if (dots)
      for (size_t pos = text.find("..."); pos != std::string_view::npos; pos = text.find("...", pos + 3)) ++symbols;
    if (scan.has_non_ascii())
      for (size_t pos = text.find("\xE2\x80\xA6"); pos != std::string_view::npos;
           pos = text.find("\xE2\x80\xA6", pos + 3))
        ++symbols;
  }

  size_t lines = 0, bullets = 0, ellipsis = 0, terminal = 0, distinct = 0;
  constexpr uint32_t kLineMetrics = (1u << kLines) | (1u << kBulletLineFraction) | (1u << kEllipsisLineFraction) |
                                    (1u << kDuplicateLineFraction) | (1u << kTerminalPunctLineFraction);
  if (needed & kLineMetrics) {
    scratch.lines.clear();
    // Lines split on '\n' (the text after the last one included); blank ones (white space only) do not count.
    size_t start = 0;
    auto line = [&](size_t end) {
      const size_t first = first_non_space(blocks, start, end);
      if (first < end) {
        const size_t last = last_non_space(text, first, end);
        const std::string_view trimmed = text.substr(first, last + 1 - first);
        ++lines;
        const unsigned char c = bytes[first];
        if (c == '-' || c == '*' || trimmed.starts_with("\xE2\x80\xA2")) ++bullets;
        if (ends_with_ellipsis(trimmed)) ++ellipsis;
        if (is_terminal(bytes[last])) ++terminal;
        scratch.lines.push_back({line_hash(bytes + start, end - start), start, end - start});
      }
      start = end + 1;
    };
    for (size_t b = 0; b < blocks.size(); ++b)
      for (uint64_t nl = blocks[b].newline; nl; nl &= nl - 1) line(64 * b + static_cast<size_t>(std::countr_zero(nl)));
    line(n);
    // Distinct lines: sorted by hash, then by their bytes where hashes are equal.
    auto& ls = scratch.lines;
    auto bytes_of = [&](const TextMetricsScratch::Line& l) { return text.substr(l.start, l.length); };
    std::sort(ls.begin(), ls.end(), [&](const auto& x, const auto& y) {
      return x.hash != y.hash ? x.hash < y.hash : bytes_of(x) < bytes_of(y);
    });
    for (size_t i = 0; i < ls.size(); ++i)
      distinct += i == 0 || ls[i].hash != ls[i - 1].hash || bytes_of(ls[i]) != bytes_of(ls[i - 1]);
  }

  const size_t code_points = n - cont;  // white space is never a continuation byte
  const size_t word_code_points = non_space - cont;
  const size_t alpha_words = words - words_without_letter;
  const double nl_count = static_cast<double>(std::max<size_t>(lines, 1));
  const double word_count = static_cast<double>(words);
  size_t last = n;
  while (last > 0 && is_space(bytes[last - 1])) --last;

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
  m[kEndsWithTerminalPunct] = (last > 0 && is_terminal(bytes[last - 1])) ? 1.0 : 0.0;
  m[kCodePoints] = static_cast<double>(code_points);
  return m;
}

#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target("popcnt")]] TextMetrics metrics_with_popcnt(const ByteClassScan& scan, TextMetricsScratch& scratch,
                                                          uint32_t needed) {
  return metrics_of(scan, scratch, needed);
}
const bool kHavePopcnt = __builtin_cpu_supports("popcnt");
#endif

}  // namespace

TextMetrics compute_text_metrics(const ByteClassScan& scan, TextMetricsScratch& scratch, uint32_t needed) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHavePopcnt) return metrics_with_popcnt(scan, scratch, needed);
#endif
  return metrics_of(scan, scratch, needed);
}

}  // namespace caploop::corpus
