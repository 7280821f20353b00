#include "corpus/sequence_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace caploop::corpus {
namespace {

constexpr uint32_t kUnbounded = UINT32_MAX;

constexpr std::array<bool, 256> make_word_characters() {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return t;
}
constexpr std::array<bool, 256> kWordCharacter = make_word_characters();

#if defined(__SSE2__)
// From j, 16 bytes at a time while they lie before cap: the first byte that is one of `stops` or not ASCII (or
// the start of the last, shorter piece, for the byte loop to finish).
inline size_t ascii_stretch_sse2(const unsigned char* p, size_t j, size_t cap, const uint8_t* stops, unsigned count) {
  const __m128i s0 = _mm_set1_epi8(static_cast<char>(stops[0]));
  const __m128i s1 = _mm_set1_epi8(static_cast<char>(count > 1 ? stops[1] : stops[0]));
  const __m128i s2 = _mm_set1_epi8(static_cast<char>(count > 2 ? stops[2] : stops[0]));
  for (; j + 16 <= cap; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + j));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s0), _mm_cmpeq_epi8(v, s1)), _mm_cmpeq_epi8(v, s2));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit) | _mm_movemask_epi8(v));
    if (mask) return j + static_cast<size_t>(std::countr_zero(mask));
  }
  return j;
}
#endif

// The code point of the valid UTF-8 character at i and its length; length 0 when the bytes there are not one.
inline uint32_t decode(const unsigned char* p, size_t n, size_t i, size_t& length) {
  length = 0;
  const unsigned char b = p[i];
  auto cont = [&](size_t k) { return i + k < n && (p[i + k] & 0xC0) == 0x80; };
  if (b < 0x80) {
    length = 1;
    return b;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    if (!cont(1)) return 0;
    length = 2;
    return (uint32_t{b} & 0x1F) << 6 | (p[i + 1] & 0x3F);
  }
  if (b >= 0xE0 && b <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const uint32_t cp = (uint32_t{b} & 0x0F) << 12 | uint32_t{p[i + 1] & 0x3Fu} << 6 | (p[i + 2] & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;  // overlong, surrogate
    length = 3;
    return cp;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const uint32_t cp = (uint32_t{b} & 0x07) << 18 | uint32_t{p[i + 1] & 0x3Fu} << 12 |
                        uint32_t{p[i + 2] & 0x3Fu} << 6 | (p[i + 3] & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    length = 4;
    return cp;
  }
  return 0;
}

std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// Whether PCRE2 matches the one-character atom `atom` exactly on the character cp.
class AtomOracle {
 public:
  explicit AtomOracle(const std::string& atom) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    re_ =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(atom.data()), atom.size(),
                      PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED, &code, &offset, nullptr);
    if (re_) md_ = pcre2_match_data_create(1, nullptr);
  }
  ~AtomOracle() {
    pcre2_match_data_free(md_);
    pcre2_code_free(re_);
  }
  AtomOracle(const AtomOracle&) = delete;
  AtomOracle& operator=(const AtomOracle&) = delete;
  bool ok() const { return re_ && md_; }
  bool matches(uint32_t cp) const {
    const std::string s = utf8(cp);
    if (pcre2_match(re_, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, md_, nullptr) < 0) return false;
    return pcre2_get_ovector_pointer(md_)[1] == s.size();
  }

 private:
  pcre2_code* re_ = nullptr;
  pcre2_match_data* md_ = nullptr;
};

bool hex_value(std::string_view digits, uint32_t& cp) {
  if (digits.empty() || digits.size() > 6) return false;
  cp = 0;
  for (char c : digits) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    cp = cp * 16 +
         static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10);
  }
  return cp <= 0x10FFFF;
}

// Reads the escape at s[i] == '\\' (inside or outside a class); appends a code point >= 256 it names to `big`.
// Returns the index after it, or npos when this matcher does not take it.
size_t read_escape(const std::string& s, size_t i, std::vector<uint32_t>& big, bool& negated) {
  if (i + 1 >= s.size()) return std::string::npos;
  const unsigned char e = static_cast<unsigned char>(s[i + 1]);
  if (e == 'x') {
    uint32_t cp = 0;
    size_t end = 0;
    if (i + 2 < s.size() && s[i + 2] == '{') {
      const size_t close = s.find('}', i + 3);
      if (close == std::string::npos || !hex_value(std::string_view(s).substr(i + 3, close - i - 3), cp))
        return std::string::npos;
      end = close + 1;
    } else {
      size_t k = i + 2;
      while (k < s.size() && k < i + 4 && std::isxdigit(static_cast<unsigned char>(s[k]))) ++k;
      if (!hex_value(std::string_view(s).substr(i + 2, k - i - 2), cp)) return std::string::npos;
      end = k;
    }
    if (cp >= 256) big.push_back(cp);
    return end;
  }
  if (std::strchr("dsw", e)) return i + 2;
  if (std::strchr("DSW", e)) {
    negated = true;
    return i + 2;
  }
  if (std::strchr("ntrf", e)) return i + 2;
  if (e >= 0x80 || std::isalnum(e)) return std::string::npos;  // \b, \p, back references, ...
  return i + 2;
}

}  // namespace

bool SequenceRegex::CharClass::contains(uint32_t cp) const {
  if (cp < 256) return (low[cp >> 6] >> (cp & 63)) & 1;
  return above != (std::find(listed.begin(), listed.end(), cp) != listed.end());
}

bool SequenceRegex::CharClass::intersects(const CharClass& other) const {
  for (int w = 0; w < 4; ++w)
    if (low[w] & other.low[w]) return true;
  if (above && other.above) return true;
  for (uint32_t cp : listed)
    if (contains(cp) && other.contains(cp)) return true;
  for (uint32_t cp : other.listed)
    if (contains(cp) && other.contains(cp)) return true;
  return false;
}

bool SequenceRegex::parse_atom(const std::string& s, size_t& i, Item& item) {
  const size_t atom_start = i;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  std::vector<uint32_t> big;
  bool negated = false;
  if (c == '\\') {
    i = read_escape(s, i, big, negated);
    if (i == std::string::npos) return false;
  } else if (c == '[') {
    size_t j = i + 1;
    if (j < s.size() && s[j] == '^') {
      negated = true;
      ++j;
    }
    if (j < s.size() && s[j] == ']') ++j;
    bool range = false;
    while (j < s.size() && s[j] != ']') {
      if (s[j] == '[') return false;  // POSIX classes
      if (s[j] == '-' && j > i + 1 && s[j - 1] != '[' && s[j - 1] != '^' && j + 1 < s.size() && s[j + 1] != ']')
        range = true;
      if (s[j] == '\\') {
        bool negated_escape = false;
        j = read_escape(s, j, big, negated_escape);
        if (j == std::string::npos) return false;
      } else if (static_cast<unsigned char>(s[j]) >= 0x80) {
        size_t length = 0;
        const uint32_t cp = decode(reinterpret_cast<const unsigned char*>(s.data()), s.size(), j, length);
        if (length == 0) return false;
        if (cp >= 256) big.push_back(cp);
        j += length;
      } else {
        ++j;
      }
    }
    if (j >= s.size()) return false;
    if (range && !big.empty()) return false;  // ranges over code points >= 256: not modelled
    i = j + 1;
  } else if (std::strchr(".()|^$*+?{}]", c)) {
    return false;
  } else if (c >= 0x80) {
    size_t length = 0;
    const uint32_t cp = decode(reinterpret_cast<const unsigned char*>(s.data()), s.size(), i, length);
    if (length == 0) return false;
    if (cp >= 256) big.push_back(cp);
    i += length;
  } else {
    ++i;
  }
  const std::string atom = s.substr(atom_start, i - atom_start);
  AtomOracle oracle(atom);
  if (!oracle.ok()) return false;
  for (uint32_t cp = 0; cp < 256; ++cp)
    if (oracle.matches(cp)) item.chars.low[cp >> 6] |= uint64_t{1} << (cp & 63);
  for (uint32_t cp = 0; cp < 128; ++cp) item.ascii[cp] = item.chars.contains(cp);
  item.chars.above = negated;
  item.chars.listed = big;
  item.non_ascii = negated || !big.empty() || item.chars.low[2] || item.chars.low[3];
  std::vector<uint8_t> outside;
  for (unsigned c = 0; c < 128; ++c)
    if (!item.ascii[c]) outside.push_back(static_cast<uint8_t>(c));
  if (outside.size() <= 3) {
    item.stop_count = static_cast<uint8_t>(outside.size());
    for (size_t k = 0; k < outside.size(); ++k) item.stops[k] = outside[k];
    if (outside.empty()) item.stop_count = 0;  // every ASCII character: the plain loop
  }
  // The model of code points >= 256 must agree with PCRE2 on samples, on the listed ones and their neighbours.
  std::vector<uint32_t> samples = {0x100, 0x17F, 0x3B1, 0x2028, 0x3000, 0x4E00, 0xFFFD, 0x1F600, 0x10FFFF};
  for (uint32_t cp : big) {
    samples.push_back(cp);
    if (cp > 256) samples.push_back(cp - 1);
    if (cp < 0x10FFFF) samples.push_back(cp + 1);
  }
  for (uint32_t cp : samples) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    if (oracle.matches(cp) != item.chars.contains(cp)) return false;
  }
  return true;
}

std::optional<SequenceRegex> SequenceRegex::compile(const std::string& s) {
  SequenceRegex out;
  size_t i = 0;
  // A leading word boundary, or a lookbehind of single ASCII characters (optionally starting with one).
  if (s.compare(0, 2, "\\b") == 0) {
    out.boundary_at_start_ = true;
    i = 2;
  } else if (s.compare(0, 4, "(?<=") == 0) {
    i = 4;
    if (s.compare(i, 2, "\\b") == 0) {
      out.boundary_behind_ = true;
      i += 2;
    }
    while (i < s.size() && s[i] != ')') {
      Item item;
      if (!parse_atom(s, i, item)) return std::nullopt;
      // Only classes of ASCII characters: each is then one byte, checked without decoding backwards.
      if (item.chars.above || !item.chars.listed.empty() || item.chars.low[2] || item.chars.low[3]) return std::nullopt;
      if (i < s.size() && std::strchr("*+?{", s[i])) return std::nullopt;
      out.behind_.push_back(std::move(item));
    }
    if (i >= s.size() || out.behind_.empty()) return std::nullopt;
    ++i;  // the ')'
  }
  std::vector<bool> possessive;
  while (i < s.size()) {
    Item item;
    if (!parse_atom(s, i, item)) return std::nullopt;
    // The quantifier.
    bool is_possessive = true;  // an unquantified item has no choice
    if (i < s.size() && std::strchr("*+?{", s[i])) {
      if (s[i] == '*') {
        item.min = 0, item.max = kUnbounded, ++i;
      } else if (s[i] == '+') {
        item.min = 1, item.max = kUnbounded, ++i;
      } else if (s[i] == '?') {
        item.min = 0, item.max = 1, ++i;
      } else {
        const size_t close = s.find('}', i);
        if (close == std::string::npos) return std::nullopt;
        const std::string inner = s.substr(i + 1, close - i - 1);
        const size_t comma = inner.find(',');
        auto number = [](const std::string& t, uint32_t& v) {
          if (t.empty() || t.size() > 5 || !std::all_of(t.begin(), t.end(), ::isdigit)) return false;
          v = static_cast<uint32_t>(std::stoul(t));
          return true;
        };
        if (comma == std::string::npos) {
          if (!number(inner, item.min)) return std::nullopt;
          item.max = item.min;
        } else {
          if (!number(inner.substr(0, comma), item.min)) return std::nullopt;
          const std::string upper = inner.substr(comma + 1);
          if (upper.empty())
            item.max = kUnbounded;
          else if (!number(upper, item.max) || item.max < item.min)
            return std::nullopt;
        }
        i = close + 1;
      }
      is_possessive = item.min == item.max;
      if (i < s.size() && s[i] == '+') {
        is_possessive = true;
        ++i;
      } else if (i < s.size() && s[i] == '?') {
        return std::nullopt;  // lazy
      }
    }
    if (item.max == 0) return std::nullopt;
    out.items_.push_back(std::move(item));
    possessive.push_back(is_possessive);
  }
  bool has_length = false;
  for (const Item& item : out.items_) has_length = has_length || item.min > 0;
  if (!has_length) return std::nullopt;
  // A greedy item must not be able to give characters back to the rest: its class and the characters the rest
  // can start with (up to and including the first item that needs a character) are disjoint.
  for (size_t k = 0; k < out.items_.size(); ++k) {
    if (possessive[k]) continue;
    for (size_t r = k + 1; r < out.items_.size(); ++r) {
      if (out.items_[k].chars.intersects(out.items_[r].chars)) return std::nullopt;
      if (out.items_[r].min > 0) break;
    }
  }
  return out;
}

size_t SequenceRegex::non_ascii_char_in(const unsigned char* p, size_t n, size_t i, const CharClass& chars) {
  size_t length = 0;
  const uint32_t cp = decode(p, n, i, length);
  return length && chars.contains(cp) ? length : 0;
}

size_t SequenceRegex::match_at(std::string_view text, size_t start) const {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  // \w without PCRE2_UCP: ASCII letters, digits and '_' (a byte of a multi-byte or invalid character is none).
  auto word = [&](size_t k) { return k < n && kWordCharacter[p[k]]; };
  if (boundary_at_start_ && (start > 0 && word(start - 1)) == word(start)) return npos;
  if (!behind_.empty()) {
    if (start < behind_.size()) return npos;
    const size_t from = start - behind_.size();
    for (size_t k = 0; k < behind_.size(); ++k)
      if (!behind_[k].ascii[p[from + k]]) return npos;
    if (boundary_behind_ && (from > 0 && word(from - 1)) == word(from)) return npos;
  }
  size_t i = start;
  for (const Item& item : items_) {
    // ASCII members first, a byte at a time (bytes from 0x80 on are not in `ascii`), or 16 at a time for a long
    // negated class; then, where the item holds other characters and the stretch stopped at one, character by
    // character.
    size_t j = i;
    if (item.max == 1) {
      if (j < n && item.ascii[p[j]]) ++j;
    } else {
      const size_t cap = item.max == kUnbounded || n - i < item.max ? n : i + item.max;
#if defined(__SSE2__)
      if (item.stop_count) j = ascii_stretch_sse2(p, j, cap, item.stops, item.stop_count);
#endif
      while (j < cap && item.ascii[p[j]]) ++j;
    }
    uint32_t count = static_cast<uint32_t>(j - i);
    i = j;
    if (item.non_ascii && i < n && p[i] >= 0x80) {
      while (count < item.max && i < n) {
        if (p[i] < 0x80) {
          if (!item.ascii[p[i]]) break;
          ++i;
        } else {
          const size_t length = non_ascii_char_in(p, n, i, item.chars);
          if (length == 0) break;
          i += length;
        }
        ++count;
      }
    }
    if (count < item.min) return npos;
  }
  return i;
}

}  // namespace caploop::corpus
